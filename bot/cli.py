"""The `bot` command: run the stack, manage agents, show service figures, validate the data, evaluate the model."""
from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import secrets
import signal
import sys
import time
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """`kill` stops the stack as cleanly as Ctrl-C does."""
    raise KeyboardInterrupt


def _generate_missing_secrets() -> list[str]:
    """Secrets come from the environment; for a local run, make up the ones that are missing (and say so)."""
    made = [name for name in ("RASA_AUTH_TOKEN",) if not os.environ.get(name)]
    os.environ.setdefault("RASA_AUTH_TOKEN", secrets.token_urlsafe(24))
    return made


def _redis(settings: Settings):
    from bot.redis_connection import redis_client

    return redis_client(settings)


async def _first_agent(settings: Settings) -> str:
    """On a desk with no agents at all, create `demo` (every language) so the console can be tried at once."""
    from bot import languages
    from bot.desk.agents import AgentDirectory

    redis = _redis(settings)
    try:
        directory = AgentDirectory(redis)
        if await directory.all():
            return "  Agents log in with the accounts made by `.venv/bin/bot agents add`."
        password = secrets.token_urlsafe(12)
        await directory.add("demo", password, languages.SUPPORTED, role="supervisor", display_name="Demo")
        return (f"  No agents yet, so one was created: name `demo`, password `{password}` (all languages).\n"
                "  Add real ones with `.venv/bin/bot agents add NAME --languages pl,en` and remove this one with "
                "`.venv/bin/bot agents remove demo`.")
    finally:
        await redis.close()


def _orders_hint(settings: Settings, demo: bool) -> str:
    """Where orders come from; for the demo, an order to try the flows with."""
    if not demo:
        return f"  Order system:    {os.environ.get('ORDER_SYSTEM')} (from the environment)"
    from bot.orders.demo_server.seed import SCENARIOS

    sample = SCENARIOS["shipped_en"]
    return (f"  Demo orders:     {settings.orders_url}  (try \"where is my order {sample['number']}?\" and "
            f"{sample['email']}; more in bot/orders/demo_server/seed.py)")


def cmd_run(args: argparse.Namespace) -> int:
    from bot.services import Stack

    generated = _generate_missing_secrets()
    settings = Settings()
    if not settings.model.exists():
        print(f"No trained model at {settings.model}: run `make run` (it trains first).", file=sys.stderr)
        return 1
    stack = Stack(settings, settings.run_dir / "logs")
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        print("Starting Redis, the order system, the action server, Rasa and the agent desk "
              f"(logs in {settings.run_dir / 'logs'}) ...", flush=True)
        stack.start_redis(settings.run_dir / "redis")
        orders = stack.start_orders()
        stack.start_actions()
        stack.start_rasa()
        stack.start_desk()
        agents_hint = asyncio.run(_first_agent(settings))
        print(
            "\nReady.\n"
            f"  Web chat:        http://localhost:{settings.desk_port}/chat\n"
            f"  Agent desk:      http://localhost:{settings.desk_port}/desk\n{agents_hint}\n"
            f"  Rasa HTTP API:   {settings.rasa_url}  (e.g. POST /model/parse?token=$RASA_AUTH_TOKEN"
            + (f"; this run's token: {settings.rasa_token}" if "RASA_AUTH_TOKEN" in generated else "") + ")\n"
            f"  Action server:   http://localhost:{settings.action_port}/health\n"
            f"{_orders_hint(settings, orders is not None)}\n"
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


def cmd_agents(args: argparse.Namespace) -> int:
    from bot.desk.agents import AgentDirectory, AgentError, parse_languages

    async def run() -> int:
        redis = _redis(Settings())
        directory = AgentDirectory(redis)
        try:
            if args.action == "add":
                password = os.environ.get("AGENT_PASSWORD") or getpass.getpass(f"Password for {args.name}: ")
                agent = await directory.add(args.name, password, parse_languages(args.languages), args.role,
                                            args.display_name, replace=args.replace)
                print(f"Agent {agent.name} ({agent.role}) serves {', '.join(agent.languages)}.")
            elif args.action == "remove":
                if not await directory.remove(args.name):
                    print(f"No agent named {args.name}.", file=sys.stderr)
                    return 1
                print(f"Removed {args.name}.")
            elif args.action == "logout":
                print(f"Ended {await directory.log_out(args.name)} session(s) of {args.name}.")
            else:
                for agent in await directory.all():
                    print(f"{agent.name:16} {agent.role:10} {','.join(agent.languages):20} {agent.signature}")
            return 0
        except AgentError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        finally:
            await redis.close()

    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        return asyncio.run(run())
    except (RedisConnectionError, OSError):
        settings = Settings()
        print(f"Redis is not reachable at {settings.redis_host}:{settings.redis_port}: start `make run` first, "
              "or set REDIS_HOST/REDIS_PORT.", file=sys.stderr)
        return 1


def cmd_stats(args: argparse.Namespace) -> int:
    from bot.analytics import format_table
    from bot.desk.stats import figures
    from bot.handoff.queue import TicketQueue
    from redis.exceptions import ConnectionError as RedisConnectionError

    async def run() -> list[dict]:
        redis = _redis(Settings())
        try:
            return await figures(redis, TicketQueue(redis), args.days)
        finally:
            await redis.close()

    try:
        rows = asyncio.run(run())
    except (RedisConnectionError, OSError):
        print("Redis is not reachable: start `make run` first, or set REDIS_HOST/REDIS_PORT.", file=sys.stderr)
        return 1
    print(json.dumps(rows, indent=2) if args.json else f"Last {args.days:g} days\n{format_table(rows)}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from bot import languages
    from bot.trainer.validate import validate

    codes = tuple(args.languages.split(",")) if args.languages else languages.SUPPORTED
    report = validate(Path(args.root), codes, with_rasa=not args.skip_rasa)
    print(report.text())
    return 0 if report.ok else 1


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation.report import run_evaluation
    from bot.evaluation.variants import VARIANTS

    variants = VARIANTS + ([f"DIETClassifier {args.diet_epochs} epochs"] if args.diet_epochs else [])
    thresholds = Path(args.fail_under) if args.fail_under else None
    return run_evaluation(PROJECT_ROOT, Path(args.model) if args.model else Settings().model, quick=args.quick,
                          variants=variants, thresholds=thresholds, cv=args.cv)


def cmd_review(args: argparse.Namespace) -> int:
    from bot.trainer import review

    root = Path(args.root)
    if args.apply:
        from bot.trainer.review_apply import apply_review

        print(apply_review(Path(args.apply), root).text())
        return 0
    from redis.exceptions import ConnectionError as RedisConnectionError

    settings = Settings()
    since, period = review.review_period(args.days)

    async def run() -> list[review.Candidate]:
        redis = _redis(settings)
        try:
            return await review.collect(redis, since, args.below)
        finally:
            await redis.close()

    try:
        found = asyncio.run(run())
    except (RedisConnectionError, OSError):
        print("Redis is not reachable: start `make run` first, or set REDIS_HOST/REDIS_PORT.", file=sys.stderr)
        return 1
    found = review.not_yet_in_the_data(found, root)
    if settings.model.exists():
        found = review.rescore(found, review.model_parser(settings.model), args.below)
    path = review.write_review(Path(args.out) if args.out else review.default_review_path(root), found,
                               args.desk_url or f"http://localhost:{settings.desk_port}", period)
    languages_found = sorted({c.language for c in found})
    print(f"{len(found)} message(s) to review ({', '.join(languages_found) or 'none'}) in {path}.\n"
          f"Write the right intent (or skip) for each, then: .venv/bin/bot review --apply {path}")
    return 0


def _reloader(settings: Settings):
    """Load a model file into the running Rasa of these settings (Rasa's PUT /model), if one answers."""
    from bot.trainer.models import load_into_running_rasa

    return lambda model: load_into_running_rasa(settings.rasa_url, settings.rasa_token, model)


def cmd_train(args: argparse.Namespace) -> int:
    from bot import languages
    from bot.trainer.promote import train_and_promote

    root = Path(args.root)
    models = Path(args.models) if args.models else root / "models"
    codes = tuple(args.languages.split(",")) if args.languages else languages.SUPPORTED
    outcome = train_and_promote(root, models, codes, keep=args.keep, verbose=args.verbose,
                                reload=_reloader(Settings()) if args.reload else None)
    return 0 if outcome.promoted else 1


def cmd_models(args: argparse.Namespace) -> int:
    from bot.trainer.model_commands import diff_models, list_models
    from bot.trainer.models import ModelError
    from bot.trainer.promote import rollback

    models = Path(args.models) if args.models else Settings().model.parent
    try:
        if args.action == "list":
            print(list_models(models))
        elif args.action == "diff":
            print(diff_models(models, args.old, args.new))
        else:
            print(rollback(models, args.version or None, _reloader(Settings())))
    except ModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def cmd_add_example(args: argparse.Namespace) -> int:
    from bot.trainer.add_example import ExampleError, add_example

    root = Path(args.root)
    try:
        print(f"Added “{args.text}” at {add_example(root, args.text, args.intent, args.lang)}.")
    except ExampleError as error:
        print(f"Not added: {error}", file=sys.stderr)
        return 2
    if not args.train:
        print("Train and promote it with `make train` (or add --train).")
        return 0
    from bot.trainer.promote import train_and_promote

    return 0 if train_and_promote(root, root / "models").promoted else 1


def cmd_add_language(args: argparse.Namespace) -> int:
    from bot.trainer.scaffold import LanguageError, add_language

    try:
        print(add_language(Path(args.root), args.code))
    except LanguageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def cmd_orders(args: argparse.Namespace) -> int:
    from bot.orders.check import check_configured

    return asyncio.run(check_configured(args.orders, args.products, args.order or []))


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # no TensorFlow/CUDA start-up lines
    parser = argparse.ArgumentParser(prog="bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start Redis, actions, Rasa and the desk").set_defaults(func=cmd_run)
    agents = commands.add_parser("agents", help="manage the agents who log in to the desk")
    agent_commands = agents.add_subparsers(dest="action", required=True)
    add = agent_commands.add_parser("add", help="add an agent (password from AGENT_PASSWORD or a prompt)")
    add.add_argument("name")
    add.add_argument("--languages", required=True, help="comma-separated language codes, e.g. el,en")
    add.add_argument("--role", default="agent", choices=["agent", "supervisor"],
                     help="supervisors see every language")
    add.add_argument("--display-name", default="", help="how replies are signed (default: the name)")
    add.add_argument("--replace", action="store_true", help="change an existing agent")
    agent_commands.add_parser("remove", help="remove an agent").add_argument("name")
    agent_commands.add_parser("logout", help="end every session of an agent (a lost or shared laptop)"
                              ).add_argument("name")
    agent_commands.add_parser("list", help="list the agents")
    agents.set_defaults(func=cmd_agents)
    stats = commands.add_parser("stats", help="conversations, handoffs, first response, resolution, CSAT")
    stats.add_argument("--days", type=float, default=30)
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)
    validate = commands.add_parser("validate", help="check the training data, responses and business texts")
    validate.add_argument("--skip-rasa", action="store_true", help="only the project's checks, not `rasa data validate`")
    validate.add_argument("--root", default=str(PROJECT_ROOT), help="the project folder (default: this one)")
    validate.add_argument("--languages", default="", help="comma-separated codes (default: every supported one)")
    validate.set_defaults(func=cmd_validate)
    evaluate = commands.add_parser("eval", help="per-language figures on tests/data into reports/")
    evaluate.add_argument("--quick", action="store_true",
                          help="skip the classifier comparison and the training-time measurement (about a minute)")
    evaluate.add_argument("--fail-under", metavar="FILE", default="",
                          help="per-language minimums (e.g. eval_thresholds.yml): exit 1 when any language is below")
    evaluate.add_argument("--model", default="", help="the model to evaluate (default: models/current.tar.gz)")
    evaluate.add_argument("--diet-epochs", type=int, default=0, help="also compare Rasa's DIETClassifier (slow)")
    evaluate.add_argument("--cv", type=int, default=0, metavar="K",
                          help="also K-fold cross-validation of the training data, per language and intent (K trainings)")
    evaluate.set_defaults(func=cmd_eval)
    reviewing = commands.add_parser("review", help="messages the bot handled badly, for a trainer to label")
    reviewing.add_argument("--days", type=float, default=7, help="look this far back (default: 7)")
    reviewing.add_argument("--below", type=float, default=0.6, help="confidence under which a message counts as unsure")
    reviewing.add_argument("--out", default="", help="the review file (default: reviews/review-<date>.yml)")
    reviewing.add_argument("--desk-url", default="", help="the agent desk's address for transcript links")
    reviewing.add_argument("--apply", metavar="REVIEW_FILE", default="",
                           help="add the labelled messages to data/nlu instead (each once)")
    reviewing.add_argument("--root", default=str(PROJECT_ROOT), help="the project folder (default: this one)")
    reviewing.set_defaults(func=cmd_review)
    training = commands.add_parser("train", help="validate, train a new model, promote it only if no language got worse")
    training.add_argument("-v", "--verbose", action="store_true", help="show Rasa's training output")
    training.add_argument("--keep", type=int, default=5, help="how many versions to keep in models/ (default: 5)")
    training.add_argument("--reload", action="store_true", help="make the running Rasa load the promoted model")
    training.add_argument("--root", default=str(PROJECT_ROOT), help="the project folder (default: this one)")
    training.add_argument("--models", default="", help="the models folder (default: models/ of the project)")
    training.add_argument("--languages", default="", help="comma-separated codes (default: every supported one)")
    training.set_defaults(func=cmd_train)
    models = commands.add_parser("models", help="the kept models: list, compare two, go back to one")
    models.add_argument("--models", default="", help="the models folder (default: models/ of the project)")
    model_commands = models.add_subparsers(dest="action", required=True)
    model_commands.add_parser("list", help="every kept version, its figures and whether it was promoted")
    diff = model_commands.add_parser("diff", help="figures, intents and data that changed between two versions")
    diff.add_argument("old")
    diff.add_argument("new")
    back = model_commands.add_parser("rollback", help="make an older version current; a running Rasa loads it")
    back.add_argument("version", nargs="?", default="", help="default: the model in use before the current one")
    models.set_defaults(func=cmd_models)
    orders = commands.add_parser("orders", help="the order system as the bot understands it")
    order_commands = orders.add_subparsers(dest="action", required=True)
    check = order_commands.add_parser("check", help="read a few recent orders and products (read-only) and show "
                                                    "what the adapter understood next to the raw fields")
    check.add_argument("--orders", type=int, default=5, help="how many recent orders (Shopify, WooCommerce)")
    check.add_argument("--products", type=int, default=10, help="how many products")
    check.add_argument("--order", action="append", help="also this order number (repeatable)")
    orders.set_defaults(func=cmd_orders)
    example = commands.add_parser("add-example", help="add one training example to the right file and intent block")
    example.add_argument("text", help="the example as a customer would type it (entities as [10482](order_id))")
    example.add_argument("--intent", required=True)
    example.add_argument("--lang", required=True, help="the language it is written in, e.g. pl")
    example.add_argument("--train", action="store_true", help="then validate, train and promote (as make train)")
    example.add_argument("--root", default=str(PROJECT_ROOT), help="the project folder (default: this one)")
    example.set_defaults(func=cmd_add_example)
    adding = commands.add_parser("add-language", help="scaffold everything a new language needs")
    adding.add_argument("code", help="ISO 639-1 code, e.g. de")
    adding.add_argument("--root", default=str(PROJECT_ROOT), help="the project folder (default: this one)")
    adding.set_defaults(func=cmd_add_language)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
