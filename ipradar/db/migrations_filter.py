"""Tables in the project database that our migrations do not own (autogenerate must leave them alone)."""

FOREIGN_TABLES = {"apscheduler_jobs"}  # APScheduler's job store creates and migrates its own table


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "table" and name in FOREIGN_TABLES)
