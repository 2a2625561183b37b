"""Rasa's validator output in the trainer's words, without warnings that are not true of this project."""
from bot.settings import PROJECT_ROOT
from bot.trainer.rasa_validate import translate

OUTPUT = """\
/site-packages/rasa/shared/utils/io.py:100: UserWarning: The utterance 'utter_return_policy' is not used in any story or rule.
/site-packages/rasa/shared/utils/io.py:100: UserWarning: The utterance 'utter_ask_order_number' is not used in any story or rule.
/site-packages/rasa/shared/utils/io.py:100: UserWarning: The utterance 'utter_never_said' is not used in any story or rule.
/site-packages/rasa/shared/utils/io.py:100: UserWarning: The example 'tak' was found labeled with multiple different intents in the training data.
/site-packages/rasa/shared/utils/io.py:100: UserWarning: The intent 'media_received' is listed in the domain file, but is not found in the NLU training data.
/site-packages/sqlalchemy/x.py:1: MovedIn20Warning: Deprecated API features detected!
"""


def test_only_true_warnings_are_kept():
    problems = translate(OUTPUT, PROJECT_ROOT, failed=False)
    assert [(p.message, p.warning) for p in problems] == [
        ("The utterance 'utter_never_said' is not used in any story or rule.", True)]


def test_when_rasa_fails_its_findings_are_errors():
    problems = translate("YamlException: Failed to read 'data/nlu/pl.yml'. line 12", PROJECT_ROOT, failed=True)
    assert [(str(p), p.warning) for p in problems] == [
        ("rasa data validate: YamlException: Failed to read 'data/nlu/pl.yml'. line 12", False)]
