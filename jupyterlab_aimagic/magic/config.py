"""The magic's defaults, set with ``%config AIMagic.<name> = …`` or in an IPython profile."""

from __future__ import annotations

from traitlets import Bool, Dict, Enum, Integer, Unicode
from traitlets.config import Configurable

from .shared import default_settings

_D = default_settings()


class AIMagic(Configurable):
    """Settings of ``%%ai``; the options on a magic line override them for one cell."""

    provider = Enum(["anthropic", "openai", "local"], default_value=_D["provider"], help="Provider of the replies.").tag(config=True)
    model = Unicode(_D["model"], help="Model id (another provider's default model means this provider's default).").tag(config=True)
    max_tokens = Integer(_D["maxTokens"], help="Longest reply, in tokens.").tag(config=True)
    system_prompt = Unicode(_D["systemPrompt"], help="Extra system instructions.").tag(config=True)
    max_output_chars = Integer(_D["maxOutputChars"], help="Longest text kept of one output; longer ones are cut in the middle.").tag(config=True)
    budget_tokens = Integer(_D["budgetTokens"], help="Most input tokens the dialogue may take (estimated); 0 for no limit.").tag(config=True)
    docs_cache_ttl = Enum(["5m", "1h"], default_value=_D["docsCacheTTL"], help="Cache lifetime of the docs prefix.").tag(config=True)
    thinking_budget = Integer(_D["thinkingBudget"], help="Thinking budget for prompts flagged use_thinking.").tag(config=True)
    max_variable_chars = Integer(_D["maxVariableChars"], help="Longest $`name` value kept; 0 for no limit.").tag(config=True)
    send_images = Bool(_D["sendImages"], help="Send PNG/JPEG outputs as images (to models that take them).").tag(config=True)
    base_urls = Dict(
        {}, help="Base URL per provider: anthropic without /v1, openai with /v1, local the server's root (default http://127.0.0.1:8080)."
    ).tag(config=True)
    notebook = Unicode("", help="The notebook file the context is read from (also %ai notebook PATH, or AIMAGIC_NOTEBOOK).").tag(config=True)
    root = Unicode("", help="The Jupyter server's root, where docs named /path start (also AIMAGIC_ROOT).").tag(config=True)
    insert_code = Bool(False, help="Put the reply's Python code blocks into the next cell (set_next_input), where the frontend can.").tag(config=True)
    headless = Enum(
        ["auto", "yes", "no"], default_value="auto",
        help="Whether a failure raises (stopping nbconvert --execute): auto raises when the frontend takes no input (nbclient, papermill).",
    ).tag(config=True)

    def core_settings(self) -> dict:
        """The settings in the core's names."""
        return {
            "provider": self.provider, "model": self.model, "maxTokens": self.max_tokens, "systemPrompt": self.system_prompt,
            "maxOutputChars": self.max_output_chars, "budgetTokens": self.budget_tokens, "docsCacheTTL": self.docs_cache_ttl,
            "thinkingBudget": self.thinking_budget, "maxVariableChars": self.max_variable_chars, "sendImages": self.send_images,
        }
