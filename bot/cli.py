"""The `bot` command: run the stack, validate the data, evaluate the model."""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """`kill` stops the stack as cleanly as Ctrl-C does."""
    raise KeyboardInterrupt


def cmd_run(args: argparse.Namespace) -> int:
    from bot.services import Stack

    settings = Settings()
    if not settings.model.exists():
        print(f"No trained model at {settings.model}: run `make run` (it trains first).", file=sys.stderr)
        return 1
    stack = Stack(settings, settings.run_dir / "logs")
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        print("Starting Redis, the action server, Rasa and the agent desk (logs in run/logs/) ...", flush=True)
        stack.start_redis(settings.run_dir / "redis")
        stack.start_actions()
        stack.start_rasa()
        stack.start_desk()
        print(
            "\nReady.\n"
            f"  Web chat:        http://localhost:{settings.desk_port}/chat\n"
            f"  Rasa HTTP API:   {settings.rasa_url}  (e.g. POST /model/parse)\n"
            f"  Action server:   http://localhost:{settings.action_port}/health\n"
            "Press Ctrl-C to stop everything.",
            flush=True,
        )
        while all(service.process.poll() is None for service in stack.services):
            time.sleep(1)
        crashed = [service.name for service in stack.services if service.process.poll() is not None]
        print(f"{', '.join(crashed)} stopped unexpectedly; see {settings.run_dir / 'logs'}.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    except (RuntimeError, TimeoutError) as error:
        print(f"Could not start: {error}. See {settings.run_dir / 'logs'}.", file=sys.stderr)
        return 1
    finally:
        print("\nStopping ...", flush=True)
        stack.stop()
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from bot.checks import project_problems

    rasa = [str(Path(sys.executable).parent / "rasa"), "data", "validate", "--quiet"]
    rasa_ok = subprocess.run(rasa, cwd=PROJECT_ROOT).returncode == 0
    problems = project_problems(PROJECT_ROOT)
    for problem in problems:
        print(f"error: {problem}")
    if rasa_ok and not problems:
        print("Data valid: every intent and response covers all languages.")
    return 0 if rasa_ok and not problems else 1


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation.report import run_evaluation

    from bot.evaluation.report import VARIANTS

    variants = VARIANTS + ([f"DIETClassifier {args.diet_epochs} epochs"] if args.diet_epochs else [])
    return run_evaluation(PROJECT_ROOT, Settings().model, ablation=not args.quick, variants=variants)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start Redis, actions, Rasa and the desk").set_defaults(func=cmd_run)
    commands.add_parser("validate", help="check the training data and responses").set_defaults(func=cmd_validate)
    evaluate = commands.add_parser("eval", help="per-language figures on tests/data into reports/")
    evaluate.add_argument("--quick", action="store_true", help="skip the classifier comparison and ablation")
    evaluate.add_argument("--diet-epochs", type=int, default=0, help="also compare Rasa's DIETClassifier (slow)")
    evaluate.set_defaults(func=cmd_eval)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
