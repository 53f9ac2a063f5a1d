"""Render every template with an example resume to docs/previews/<template>.png.

    python scripts/make_previews.py [RESUME.json]

Uses the project's example resume when there is one, else a JSON Resume sample from the
test fixtures; each preview is the real fitted one-page PDF rasterised by pdftoppm.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.compile import compile_resume  # noqa: E402
from pipeline.compile.render import list_templates  # noqa: E402
from pipeline.jsonresume import Resume  # noqa: E402
from pipeline.models import TailoredResume  # noqa: E402

CANDIDATES = [ROOT / "examples/resumes/senior-backend.json",
              ROOT / "tests/fixtures/resumes/sample-complete.json"]


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else next(p for p in CANDIDATES if p.exists())
    resume = Resume.model_validate(json.loads(source.read_text(encoding="utf-8")))
    out_dir = ROOT / "docs" / "previews"
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, description in list_templates():
        compiled = compile_resume(TailoredResume(resume=resume), template=name)
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "resume.pdf"
            pdf.write_bytes(compiled.pdf)
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf),
                            str(out_dir / name)], check=True)
        print(f"{out_dir / name}.png  ({description})")
    print(f"from {source.relative_to(ROOT) if source.is_relative_to(ROOT) else source}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
