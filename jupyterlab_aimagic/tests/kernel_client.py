"""A real ipykernel for the kernel-side tool tests, spoken to as the frontend speaks to it.

The kernel runs on this Python with ``-I`` and with ``jupyterlab_aimagic`` made unimportable,
as in a notebook whose kernel lives in another environment than the Jupyter server: the code
sent must stand on the standard library alone.
"""
import json
import re
import sys
import time
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

TOOLS_PY = Path(__file__).resolve().parent.parent / "kernel" / "tools.py"
SOURCE = TOOLS_PY.read_text(encoding="utf-8")
EXPRESSION = re.search(r"^FRONTEND_EXPRESSION = '(.*)'$", SOURCE, re.M).group(1)

LAUNCH = (
    "import sys; sys.modules['jupyterlab_aimagic'] = None; "
    "from ipykernel.kernelapp import launch_new_instance; launch_new_instance()"
)


def frontend_expression(request):
    """The user expression src/notebook/kernel-tools.ts sends, built from the same template."""
    literals = {"%SOURCE%": json.dumps(SOURCE), "%REQUEST%": json.dumps(json.dumps(request))}
    return re.sub(r"%SOURCE%|%REQUEST%", lambda m: literals[m.group(0)], EXPRESSION)


class Kernel:
    """A started kernel and its client."""

    def __init__(self, tmp: Path):
        spec_dir = tmp / "kernels" / "isolated"
        spec_dir.mkdir(parents=True)
        argv = [sys.executable, "-I", "-c", LAUNCH, "-f", "{connection_file}"]
        (spec_dir / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "isolated", "language": "python"}))
        specs = KernelSpecManager(kernel_dirs=[str(tmp / "kernels")])
        self.manager = KernelManager(kernel_name="isolated", kernel_spec_manager=specs)
        self.manager.start_kernel(cwd=str(tmp))
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def run(self, code):
        """Run code as a user's cell would (in the history, counted); raises on an error."""
        reply = self.client.execute_interactive(code, store_history=True, timeout=60, output_hook=lambda msg: None)
        assert reply["content"]["status"] == "ok", reply["content"]
        return reply

    def peek(self, **expressions):
        """Evaluate expressions silently (as `$`name`` does) and return their text."""
        msg_id = self.client.execute("", silent=True, store_history=False, user_expressions=expressions)
        reply = self._reply(msg_id, 30)
        results = reply["content"]["user_expressions"]
        return {k: v["data"]["text/plain"] for k, v in results.items()}

    def ask(self, request, interrupt_after=None, timeout=60):
        """Send one frontend request; returns ``(answer, reply, iopub messages, seconds)``.

        ``interrupt_after`` interrupts the kernel that many seconds after it started the
        request, as the frontend's time limit and Stop do.
        """
        msg_id = self.client.execute("", silent=True, store_history=False, allow_stdin=False, stop_on_error=False,
                                     user_expressions={"r": frontend_expression(request)})
        started, interrupted, iopub = None, False, []
        deadline = time.monotonic() + timeout
        while True:
            assert time.monotonic() < deadline, "the kernel did not finish the request"
            if started and interrupt_after is not None and not interrupted and time.monotonic() - started > interrupt_after:
                self.manager.interrupt_kernel()
                interrupted = True
            try:
                msg = self.client.get_iopub_msg(timeout=0.1)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            iopub.append(msg)
            state = msg["content"].get("execution_state")
            if state == "busy" and started is None:
                started = time.monotonic()
            if state == "idle":
                break
        reply = self._reply(msg_id, 30)
        seconds = time.monotonic() - started
        result = reply["content"].get("user_expressions", {}).get("r", {})
        answer = json.loads(result["data"]["text/plain"]) if result.get("status") == "ok" else None
        return answer, reply, iopub, seconds

    def describe(self, *names):
        return self.ask({"op": "describe", "names": list(names)})[0]

    def call(self, name, **args):
        return self.ask({"op": "call", "name": name, "args": args, "max_chars": 20000})[0]

    def _reply(self, msg_id, timeout):
        while True:
            reply = self.client.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply
