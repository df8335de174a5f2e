"""The ``newsfuse`` command: argument parsing, output streams and exit codes only.

Exit codes: 0 everything was read; 1 some input could not be read (the rest was processed);
2 usage error, or nothing readable at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from newsfuse import __version__, brief, read
from newsfuse.errors import UsageError
from newsfuse.io.report import Problem, ReadReport
from newsfuse.render.articles import article_to_jsonl, article_to_text
from newsfuse.render.brief_html import brief_to_html
from newsfuse.render.brief_json import brief_to_json
from newsfuse.render.brief_markdown import brief_to_markdown

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsfuse",
        description="Read, clean and fuse news reports into cited briefs.",
        epilog="Exit codes: 0 all input read; 1 some input skipped; 2 usage error or "
               "nothing readable.")
    parser.add_argument("--version", action="version", version=f"newsfuse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    read_cmd = commands.add_parser(
        "read", help="print the normalized articles: what newsfuse saw",
        description="Read articles (text, JSON Lines, JSON, HTML, WARC, CSV; folders are "
                    "walked; '-' reads JSON Lines from stdin), clean and segment them, and "
                    "print them.")
    read_cmd.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder or '-'")
    read_cmd.add_argument("--format", choices=("text", "jsonl"), default="text",
                          help="output format (default: text)")
    read_cmd.add_argument("--raw", action="store_true",
                          help="skip cleaning: show the text as the source wrote it")
    _add_common(read_cmd)
    read_cmd.set_defaults(handler=_cmd_read)

    brief_cmd = commands.add_parser(
        "brief", help="fuse the inputs (one story) into a cited brief",
        description="Read the inputs as the reports of one story and fuse them into a brief: "
                    "a headline and a short summary whose every sentence cites all the "
                    "articles that support it, with copies of the same wire story recognised.")
    brief_cmd.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder or '-'")
    brief_cmd.add_argument("--format", choices=("md", "json", "html"), default="md",
                           help="output format (default: md)")
    size = brief_cmd.add_mutually_exclusive_group()
    size.add_argument("--words", type=_positive, metavar="N",
                      help="summary length in words (default: about 120)")
    size.add_argument("--sentences", type=_positive, metavar="K",
                      help="summary length in sentences")
    brief_cmd.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    brief_cmd.add_argument("--encoder", choices=("auto", "tfidf", "minilm"), default="auto",
                           help="sentence similarity: auto (MiniLM when installed), tfidf "
                                "(lexical, fastest) or minilm (catches paraphrases)")
    _add_common(brief_cmd)
    brief_cmd.set_defaults(handler=_cmd_brief)
    return parser


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _add_common(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("-q", "--quiet", action="store_true",
                     help="print only skipped input and the summary, not warnings")


def _problem_printer(quiet: bool, stream: TextIO) -> Callable[[Problem], None]:
    def show(problem: Problem) -> None:
        if quiet and problem.severity == "warning":
            return
        print(f"newsfuse: {problem}", file=stream)
    return show


def _cmd_read(args: argparse.Namespace) -> int:
    stream = read(args.inputs, clean=not args.raw,
                  on_problem=_problem_printer(args.quiet, sys.stderr))
    render = article_to_jsonl if args.format == "jsonl" else article_to_text
    out = sys.stdout
    for i, article in enumerate(stream):
        if i and args.format == "text":
            out.write("\n")
        out.write(render(article))
        if args.format == "jsonl":
            out.write("\n")
    return _finish(stream.report)


def _cmd_brief(args: argparse.Namespace) -> int:
    stream = read(args.inputs, on_problem=_problem_printer(args.quiet, sys.stderr))
    articles = list(stream)
    print(stream.report.summary(), file=sys.stderr)
    if not articles:
        print("newsfuse: no readable article; no brief", file=sys.stderr)
        return EXIT_FAILED
    try:
        result = brief(articles, words=args.words, sentences=args.sentences,
                       encoder=args.encoder)
    except UsageError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for warning in result.warnings:
        if not args.quiet:
            print(f"newsfuse: warning: {warning}", file=sys.stderr)
    render = {"md": brief_to_markdown, "json": brief_to_json, "html": brief_to_html}
    text = render[args.format](result)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as exc:
            print(f"newsfuse: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
            return EXIT_FAILED
    else:
        sys.stdout.write(text)
    return EXIT_PARTIAL if stream.report.skipped_total else EXIT_OK


def _finish(report: ReadReport) -> int:
    print(report.summary(), file=sys.stderr)
    if report.articles == 0:
        return EXIT_FAILED
    return EXIT_PARTIAL if report.skipped_total else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except BrokenPipeError:  # `newsfuse read ... | head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("newsfuse: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
