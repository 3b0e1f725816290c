"""Code that runs in the notebook's kernel (tools.py is also sent to kernels without this
package, so it imports nothing from it)."""
