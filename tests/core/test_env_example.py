"""`.env.example` is what an operator copies to systemd's EnvironmentFile: every variable the settings read is in
it, and no comment trails a value (systemd would keep it as part of the value)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_lists_every_variable_the_settings_read_with_no_comment_after_a_value():
    example = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    assignments = [line for line in example if line and not line.startswith("#")]
    assert all("#" not in line for line in assignments), [line for line in assignments if "#" in line]
    listed = {line.split("=", 1)[0] for line in assignments}
    read = set(re.findall(r'"(ZHAOSHANG_[A-Z_]+)"', (ROOT / "zhaoshang" / "settings.py").read_text(encoding="utf-8")))
    assert read - listed == set()
