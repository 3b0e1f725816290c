import './base.css';
import './docs.css';
