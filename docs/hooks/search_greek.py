"""An MkDocs hook (mkdocs.yml `hooks:`): Greek joins the guides' search languages.

MkDocs' search option accepts only the languages of its own lunr files, which have no
Greek, and drops `el`; Material ships lunr's Greek (its search worker loads
`lunr.el.min.js` when the index names it). Without it, lunr's tokenizer keeps only the
letters of the other languages and no Greek word is found.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority


# After mkdocs-static-i18n (-100), which writes the index of all four languages last.
@event_priority(-200)
def on_post_build(config: Any, **kwargs: Any) -> None:
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    if "el" not in data["config"]["lang"]:
        data["config"]["lang"].append("el")
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                         encoding="utf-8")
