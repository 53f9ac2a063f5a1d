"""`resume-tailor`: the command line, a thin Typer layer over the pipeline's stages.

Start-up must stay fast (`--help` under 0.3 s), so this module imports only Typer and the
error types at the top; pydantic models, spaCy, Jinja2, pypdf and the stage modules are
imported inside the command that needs them. Past 400 lines because each command's options
and help text are its documentation; the work is in the stage packages.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import inspect
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from pipeline.errors import CompileError, InvalidInput

if TYPE_CHECKING:
    from rich.console import Console

    from pipeline.jsonresume import Resume
    from pipeline.letter import CompiledLetter
    from pipeline.models import JobAnalysis, MatchReport, Usage
    from pipeline.providers.fallback import ProviderChain
    from pipeline.providers.stages import AIStages

app = typer.Typer(
    name="resume-tailor",
    help="Tailor a JSON Resume to a job posting and compile a one-page, ATS-readable PDF.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals would print the user's resume
    rich_markup_mode=None,  # plain help: rendering it with rich costs ~0.15 s of start-up
)

P = ParamSpec("P")
R = TypeVar("R")

LOG_TAIL_LINES = 15

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
ResumeArg = Annotated[Path, typer.Argument(help="JSON Resume file (.json, .yaml or .yml).")]
PostingArg = Annotated[
    str, typer.Argument(help="Posting file (text, Markdown, HTML) or - for stdin.")
]


def main() -> None:
    """The console script. It leaves without tearing the interpreter down: freeing every
    object one by one (the skill matcher's, a ranking's) took ~0.13 s after `rank` of 500
    postings, longer than `--help` takes in all. Registered first, `_leave` runs after every
    other exit function (open files, temporary folders, the rank pool's are all done then)."""
    global _status
    atexit.register(_leave)
    try:
        app(prog_name="resume-tailor")
    except SystemExit as done:  # Click always ends so; Python has printed a text code by now
        _status = done.code if isinstance(done.code, int) else 0 if done.code is None else 1
        raise
    except KeyboardInterrupt:
        _status = 130
        raise
    except BaseException:
        _status = 1  # the traceback is printed before the exit functions run
        raise


_status = 1


def _leave() -> None:
    status = _status
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): as Python itself exits
            status = status or 120
    os._exit(status)


def _user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """The one place exceptions become user output.

    InvalidInput (a user-fixable problem) → one line on stderr, exit 2; CompileError → the
    message and the tail of the TeX log, exit 1; anything else keeps its traceback.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InvalidInput as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except CompileError as exc:
            typer.echo(f"error: the PDF did not compile: {exc}", err=True)
            tail = exc.log.strip().splitlines()[-LOG_TAIL_LINES:]
            if tail:
                typer.echo("last lines of the TeX log:", err=True)
                typer.echo("\n".join(f"  {line}" for line in tail), err=True)
            raise typer.Exit(1) from None

    return wrapper


def _console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _analyze(posting: str) -> JobAnalysis:
    from pipeline.inputs import load_posting
    from pipeline.parse import parse_posting

    return parse_posting(load_posting(posting))


def _load_resume(path: Path) -> Resume:
    from pipeline.inputs import load_resume

    return load_resume(path)


PACKAGE = "resume-tailor"


def _print_version(value: bool) -> None:
    if not value:
        return
    # Imported here: `--help` and every command start without it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        typer.echo(f"{PACKAGE} {version(PACKAGE)}")
    except PackageNotFoundError:
        typer.echo(f"error: {PACKAGE} is not installed (no package metadata); run "
                   "`pip install -e .` in the clone", err=True)
        raise typer.Exit(1) from None
    raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[bool, typer.Option(
        "--version", is_eager=True, callback=_print_version,
        help="Print the installed version and exit.")] = False,
) -> None:
    """Options of `resume-tailor` itself (`--version`); the help text is the app's."""


# ---------------------------------------------------------------- commands


@app.command()
@_user_errors
def analyze(posting: PostingArg, json_out: JsonFlag = False) -> None:
    """Analyse a posting: title, seniority, hard and soft skills, years, education, tone."""
    analysis = _analyze(posting)
    if json_out:
        _print_json(analysis.model_dump(mode="json", exclude={"text"}))
        return
    from pipeline.cli.display import render_analysis

    render_analysis(_console(), analysis)


@app.command()
@_user_errors
def match(resume: ResumeArg, posting: PostingArg, json_out: JsonFlag = False) -> None:
    """Score a resume against a posting: matched and missing skills, the rate and its ceiling."""
    master = _load_resume(resume)
    analysis = _analyze(posting)
    from pipeline.score import score_match

    report = score_match(master, analysis)
    if json_out:
        _print_json(report.model_dump(mode="json"))
        return
    from pipeline.cli.display import render_match

    render_match(_console(), analysis, report)


@app.command()
@_user_errors
def rank(
    resume: ResumeArg,
    postings: Annotated[
        list[str], typer.Argument(help="Posting files, or one .jsonl of {id, text}.")
    ],
    json_out: JsonFlag = False,
) -> None:
    """Rank many postings by how well the resume fits them, best first."""
    from rich.markup import escape
    from rich.progress import Progress

    from pipeline.cli.display import read_postings, render_ranking
    from pipeline.rank.pool import BATCH, RankPool

    master = _load_resume(resume)
    items = read_postings(postings)
    # a worker process per CPU, once there are batches enough to share
    processes = min(_cpus(), 8, len(items) // BATCH) or 1
    # the workers are forked before the progress bar starts its thread
    with RankPool(master, processes=processes) as pool, \
            Progress(console=_console(stderr=True), transient=True) as progress:
        task = progress.add_task("ranking", total=len(items))

        def on_progress(done: int, last_id: str) -> None:
            progress.update(task, completed=done, description=escape(last_id))

        ranked = pool.rank(items, on_progress=on_progress)
    if json_out:
        _print_json([r.model_dump(mode="json") for r in ranked])
        return
    render_ranking(_console(), ranked)


def _cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# AI provider settings come from options or, by click's `envvar`, from the environment: the
# pipeline itself never reads the environment.
def _env_option(envvar: str, help_text: str, *, hidden: bool = False) -> Any:
    return typer.Option(envvar=envvar, help=help_text, hidden=hidden, show_envvar=True)


# The options of every command that may call a model, by parameter name.
_AI_OPTIONS: dict[str, Any] = {
    "provider": _env_option("RT_PROVIDER", "Provider: local, openai, anthropic."),
    "provider_chain": _env_option("RT_PROVIDER_CHAIN",
                                  "Fallback order, e.g. openai,anthropic,local."),
    "openai_model": _env_option("RT_OPENAI_MODEL", "OpenAI model."),
    "anthropic_model": _env_option("RT_ANTHROPIC_MODEL", "Anthropic model."),
    "openai_base_url": _env_option("OPENAI_BASE_URL",
                                   "OpenAI-compatible server (vLLM, Ollama...)."),
    "anthropic_base_url": _env_option("ANTHROPIC_BASE_URL", "Anthropic API base URL."),
    "openai_api_key": _env_option("OPENAI_API_KEY", "OpenAI API key.", hidden=True),
    "anthropic_api_key": _env_option("ANTHROPIC_API_KEY", "Anthropic API key.", hidden=True),
}


def _with_ai_options(command: Callable[..., R]) -> Callable[..., R]:
    """Give COMMAND the provider options (Typer reads the signature set here) and call it
    with `ai`, the AI stages they select, in their place."""
    # `ai` is annotated with a name imported only for the type checker: any stand-in
    # resolves it, as the parameter is replaced.
    signature = inspect.signature(command, eval_str=True, locals={"AIStages": object})
    options = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                 annotation=Annotated[str | None, option])
               for name, option in _AI_OPTIONS.items()]
    params = [p for p in signature.parameters.values() if p.name != "ai"] + options

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> R:
        chosen = {name: kwargs.pop(name, None) for name in _AI_OPTIONS}
        return command(*args, ai=_ai_stages(**chosen), **kwargs)

    wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper


@app.command()
@_user_errors
@_with_ai_options
def tailor(
    resume: ResumeArg,
    posting: PostingArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Directory for the outputs.")],
    template: Annotated[str, typer.Option(help="LaTeX template (see `templates`).")] = "classic",
    letter: Annotated[bool, typer.Option(
        "--letter", help="Also write a cover letter: letter.pdf, letter.tex, letter.md.")] = False,
    formats: Annotated[str, typer.Option(
        "--format", help="Resume formats, comma-separated: pdf, docx, md, txt.")] = "pdf",
    *,
    ai: AIStages,
) -> None:
    """Tailor RESUME to POSTING: writes resume.pdf, resume.tex, tailored.json, report.json."""
    from rich.progress import Progress

    from pipeline.cli.display import render_tailor_summary
    from pipeline.documents import parse_formats
    from pipeline.documents.outputs import artifact_files
    from pipeline.inputs import load_posting, read_resume
    from pipeline.tailor import STAGES, run_tailor

    wanted = parse_formats(formats)
    _check_template(template)
    master, notes = read_resume(resume)
    if not master.basics.name:
        # The PDF is headed by the name, and an ATS files the application under it.
        raise InvalidInput("missing: the resume has no name to put at the top of the PDF",
                           field="basics.name")
    text = load_posting(posting)

    def enrich(analysis: JobAnalysis) -> tuple[JobAnalysis, list[Usage]]:
        enrichment, meter = ai.enrich(analysis)
        return enrichment.analysis, meter.usage()

    with Progress(console=_console(stderr=True), transient=True) as progress:
        task = progress.add_task("starting", total=len(STAGES))

        def on_stage(stage: str) -> None:
            progress.update(task, description=stage, completed=STAGES.index(stage))

        result = run_tailor(master, text, template=template, rewriter=ai.rewriter(),
                            on_stage=on_stage, enrich=enrich if ai.chain else None,
                            input_notes=notes)
        if letter:
            progress.update(task, description="letter")
            compiled_letter = _letter(master, result.analysis, result.before, template, ai.chain)
    files, result = artifact_files(result, formats=wanted,
                                   letter=compiled_letter if letter else None)
    written = write_atomically(output, files)
    render_tailor_summary(_console(), result, written)


@app.command(name="letter")
@_user_errors
@_with_ai_options
def letter_command(
    resume: ResumeArg,
    posting: PostingArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Directory for the outputs.")],
    template: Annotated[str, typer.Option(help="LaTeX template (see `templates`).")] = "classic",
    *,
    ai: AIStages,
) -> None:
    """Write only a cover letter for RESUME and POSTING: letter.pdf, letter.tex, letter.md."""
    from pipeline.documents.outputs import letter_documents
    from pipeline.documents.summary import render_ats, render_letter
    from pipeline.inputs import load_posting
    from pipeline.parse import parse_posting
    from pipeline.score import score_match

    _check_template(template)
    master = _load_resume(resume)
    analysis = parse_posting(load_posting(posting))
    if ai.chain is not None:
        analysis = ai.enrich(analysis)[0].analysis
    compiled = _letter(master, analysis, score_match(master, analysis), template, ai.chain)
    files, ats, report = letter_documents(compiled)
    written = write_atomically(output, files)
    console = _console()
    render_letter(console, report)
    render_ats(console, [ats])
    console.print("Wrote " + ", ".join(str(p) for p in written))


def _ai_stages(provider: str | None, provider_chain: str | None, openai_model: str | None,
               anthropic_model: str | None, openai_base_url: str | None,
               anthropic_base_url: str | None, openai_api_key: str | None,
               anthropic_api_key: str | None) -> AIStages:
    """The AI stages from the provider options (each also read from its variable by click)."""
    from pipeline.providers.config import ProviderConfig, parse_chain
    from pipeline.providers.stages import providers_for

    defaults = ProviderConfig()
    config = ProviderConfig(
        chain=parse_chain(provider_chain, "RT_PROVIDER_CHAIN"),
        openai_model=openai_model or defaults.openai_model,
        anthropic_model=anthropic_model or defaults.anthropic_model,
        openai_base_url=openai_base_url or None, anthropic_base_url=anthropic_base_url or None,
        openai_api_key=openai_api_key or None, anthropic_api_key=anthropic_api_key or None,
    )
    return providers_for(config, provider=provider)


def _letter(master: Resume, analysis: JobAnalysis, report: MatchReport, template: str,
            chain: ProviderChain | None) -> CompiledLetter:
    from pipeline.letter import compile_letter, write_letter
    from pipeline.letter.ai import letter_writer

    letter = write_letter(master, analysis, report, writer=letter_writer(chain))
    return compile_letter(letter, master, template=template)


@app.command()
@_user_errors
def templates() -> None:
    """List the LaTeX templates, one line each."""
    from pipeline.compile.render import list_templates

    for name, description in list_templates():
        typer.echo(f"{name:<12} {description}")


def _check_template(name: str) -> None:
    from pipeline.compile.render import list_templates

    names = [n for n, _ in list_templates()]
    if name not in names:
        raise InvalidInput(f"unknown template {name!r} (choose from {', '.join(names)})",
                           field="template")


# ---------------------------------------------------------------- output


def write_atomically(outdir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file or none: build them in a hidden temp dir inside OUTDIR, then rename
    each into place.

    Staging inside OUTDIR itself (not beside it) keeps every rename within one file system
    even when OUTDIR is a mount point, so a reader never sees a half-written file. A failure
    while writing leaves OUTDIR's files as they were (and removes OUTDIR if this call made it).
    """
    if outdir.exists() and not outdir.is_dir():
        raise InvalidInput(f"{outdir} exists and is not a directory", field="output")
    created = not outdir.exists()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".resume-tailor-", dir=outdir))
    except OSError as exc:
        raise InvalidInput(f"cannot write to {outdir}: {exc.strerror}", field="output") from None
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        for name in files:
            os.replace(staging / name, outdir / name)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                outdir.rmdir()  # only if nothing else appeared in it meanwhile
        raise InvalidInput(f"cannot write to {outdir}: {exc.strerror}", field="output") from None
    shutil.rmtree(staging, ignore_errors=True)
    return [outdir / name for name in files]
