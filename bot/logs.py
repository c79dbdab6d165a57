"""Logging that cannot carry case content, at any level.

Our own loggers ("dhr.*") log ids, counts and exception types only. Libraries are not so careful:
Bolt logs the whole body of a request that fails its signature check or matches no listener, the
SDK logs request payloads at DEBUG, SQLAlchemy logs result rows at DEBUG, and any of them may log an
exception whose message quotes its input. So a library's line keeps its logger, level and opening
words (up to the first bracket, colon or brace, where the quoting starts), and an exception only
its type.
"""
import logging
import re

OURS = ("dhr", "__main__")
# Third-party loggers never go below INFO (their DEBUG is payloads and volume); the filter does the rest.
LIBRARIES = ("slack_bolt", "slack_sdk", "urllib3", "waitress", "werkzeug", "flask", "sqlalchemy",
             "apscheduler", "alembic", "psycopg", "dhr-bot")
QUIET = ("sqlalchemy",)  # its INFO is every statement and its DEBUG every row: warnings only
_QUOTING = re.compile(r"[(:{\[\n'\"<=]")
MAX_LIBRARY_LINE = 160


class WithholdContent(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".")[0] in OURS:
            return True
        text = _QUOTING.split(record.getMessage(), maxsplit=1)[0].strip()
        if record.exc_info and record.exc_info[0] is not None:
            text += f" [{record.exc_info[0].__name__}]"
        record.msg, record.args = text[:MAX_LIBRARY_LINE] or "(message withheld)", None
        record.exc_info = record.exc_text = record.stack_info = None
        return True


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, WithholdContent) for f in handler.filters):
            handler.addFilter(WithholdContent())
    floor = max(logging.INFO, logging.getLevelName(level))
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING if name in QUIET else floor)
    hold_library_floor()


def hold_library_floor() -> None:
    """Bolt copies the root logger's level onto its own loggers ("slack_bolt.App", ...) as each object is
    built, after start-up configured them: put any library logger below its namespace's floor back."""
    for name, logger in list(logging.root.manager.loggerDict.items()):
        top = name.split(".")[0]
        if top in LIBRARIES and name != top and isinstance(logger, logging.Logger):
            floor = logging.getLogger(top).level
            if logger.level != logging.NOTSET and logger.level < floor:
                logger.setLevel(floor)
