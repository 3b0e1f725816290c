import './base.css';
import './dialogue.css';
import './docs.css';
