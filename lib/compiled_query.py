"""Querysets compiled to SQL once per database connection, then run with fresh values.

Building and compiling a Django queryset costs more than running it: on the claim page each
of its queries took about a millisecond to build and compile and a twentieth of that to run
(bench/bench_pages.py). A public page runs the same few queries on every visit with only a
slug changing, so `CompiledQuery` builds the queryset once, with placeholders where the values
go, keeps its SQL, and afterwards only swaps the values in, runs the SQL and turns the rows into
model instances exactly as the queryset would (select_related objects and annotations
included). The queryset is still written with the ORM, so its rules (claims/visibility.py) stay in
one place.

Preconditions for the function that builds the queryset: its SQL depends on nothing but the
placeholders (no `timezone.now()`, no settings that change at run time), and each placeholder
is a string compared as-is (a CharField or SlugField lookup). Prefetches are not run. The
first precondition is checked, not trusted: the queryset is built twice when compiled, and
one whose SQL or other values differ between the two builds (a filter on the current time,
a random value) is refused, since compiling it would freeze that value for the connection's
life.

Rows become instances with the parts of Django that its own ModelIterable uses (the
compiler's select and klass_info, get_related_populators, Model.from_db): not public API.
tests/test_compiled_query.py is their contract: it checks the results against the ORM's,
field by field, with relations and annotations, and fails first if a Django upgrade changes
what these parts are or do. Django's range in pyproject.toml stops at the next LTS anyway.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router
from django.db.models import BooleanField, F, Func
from django.db.models.query import get_related_populators


class Placeholder(str):
    """Stands in for a value while the queryset is compiled. The ORM passes a string through
    a CharField lookup unchanged, so the placeholder is found again among the query's
    parameters by identity, never mistaken for a real value."""


@dataclass(frozen=True)
class _Compiled:
    model: type
    sql: str
    params: tuple
    slots: dict  # placeholder name -> indexes in params
    converters: dict  # column index -> (converter functions, expression)
    model_fields: slice
    init_list: list
    related_populators: list
    annotation_col_map: dict


class CompiledQuery:
    """`CompiledQuery(lambda slug: Claim.objects.filter(slug=slug))(slug="...")` returns the
    list the queryset would, compiled on first use for each database connection."""

    def __init__(self, build_queryset):
        self.build_queryset = build_queryset
        self.names = build_queryset.__code__.co_varnames[: build_queryset.__code__.co_argcount]

    def __call__(self, **values) -> list:
        return run_together((self, values))[0]

    def _statement(self, values: dict) -> "_Statement":
        """What running the query with these values takes: its connection, SQL and values."""
        if set(values) != set(self.names):
            raise TypeError(f"expected values for {sorted(self.names)}, got {sorted(values)}")
        alias = router.db_for_read(self._queryset_model())
        connection = connections[alias]
        compiled = _compiled_on(connection).get(self) or self._compile(connection, alias)
        params = list(compiled.params)
        for name, indexes in compiled.slots.items():
            for index in indexes:
                params[index] = values[name]
        return _Statement(connection, alias, compiled, params)

    def _queryset_model(self):
        model = getattr(self, "_model", None)
        if model is None:
            model = self._model = self.build_queryset(**self._placeholders()).model
        return model

    def _placeholders(self) -> dict:
        return {name: Placeholder(name) for name in self.names}

    def _compile(self, connection, alias) -> _Compiled:
        placeholders = self._placeholders()
        queryset = self.build_queryset(**placeholders)
        if queryset._prefetch_related_lookups:
            raise ValueError("CompiledQuery does not run prefetch_related lookups.")
        compiler = queryset.query.get_compiler(using=alias, connection=connection)
        sql, params = compiler.as_sql()
        self._refuse_if_values_change(sql, params, placeholders, alias, connection)
        slots = {
            name: [i for i, param in enumerate(params) if param is placeholder]
            for name, placeholder in placeholders.items()
        }
        if not all(slots.values()):
            missing = [name for name, indexes in slots.items() if not indexes]
            raise ValueError(f"placeholders not found among the query's parameters: {missing}")
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        model_fields = slice(fields[0], fields[-1] + 1)
        compiled = _Compiled(
            model=klass_info["model"],
            sql=sql,
            params=tuple(params),
            slots=slots,
            converters=compiler.get_converters([column[0] for column in select]),
            model_fields=model_fields,
            init_list=[column[0].target.attname for column in select[model_fields]],
            related_populators=get_related_populators(klass_info, select, alias),
            annotation_col_map=dict(compiler.annotation_col_map or {}),
        )
        _compiled_on(connection)[self] = compiled
        return compiled

    def _refuse_if_values_change(self, sql, params, placeholders, alias, connection) -> None:
        again = self.build_queryset(**placeholders).query.get_compiler(
            using=alias, connection=connection
        )
        sql_again, params_again = again.as_sql()
        if sql_again != sql or list(params_again) != list(params):
            raise ValueError(
                "This queryset's SQL or values change from one build to the next (a filter "
                "on the current time?): compiled once, they would be frozen. Run it as a "
                "queryset instead."
            )


def _compiled_on(connection) -> dict:
    """The queries compiled for this connection object (one per database alias and thread):
    the SQL and its converters belong to its backend. Kept on the connection, so they go when
    it goes (a thread's end, under runserver); converters refer to the connection, which a
    cache beside it would keep alive."""
    return connection.__dict__.setdefault("factdesk_compiled_queries", {})


@dataclass(frozen=True)
class _Statement:
    connection: object
    alias: str
    compiled: _Compiled
    params: list


def run_together(*calls: tuple[CompiledQuery, dict]) -> list[list]:
    """Each (query, values) call's results, with the queries sent together: in one round trip
    on PostgreSQL (psycopg's pipeline mode), which took a third off two queries' wait; one
    after another elsewhere. The queries must read from one database."""
    statements = [query._statement(values) for query, values in calls]
    connection = statements[0].connection
    if any(statement.connection is not connection for statement in statements):
        raise ValueError("run_together() needs queries on one database.")
    cursors = [_cursor(connection) for _ in statements]
    try:
        if len(statements) > 1 and connection.vendor == "postgresql":
            # Errors surface when the pipeline ends; Django's own wrapping names them.
            with connection.wrap_database_errors, connection.connection.pipeline():
                for cursor, statement in zip(cursors, statements, strict=True):
                    cursor.execute(statement.compiled.sql, statement.params)
        else:
            for cursor, statement in zip(cursors, statements, strict=True):
                cursor.execute(statement.compiled.sql, statement.params)
        results = [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
    return [
        [_instance(statement.compiled, row, statement.alias, connection) for row in rows]
        for statement, rows in zip(statements, results, strict=True)
    ]


class AnyOf(Func):
    """`field` is one of `ids`: `field = ANY(%s)` with the ids as one array on PostgreSQL, so
    the SQL is the same for any number of them (CompiledRows keeps it); `field IN (...)`
    elsewhere."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, ids):
        super().__init__(F(field))
        self.ids = list(ids)

    def as_sql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])
        ids = self.ids
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s::bigint[])", (*column_params, list(ids))
        if not ids:
            return "1 = 0", ()
        return f"{column} IN ({', '.join(['%s'] * len(ids))})", (*column_params, *ids)


# Stands in for the ids while a CompiledRows query is compiled; found again by equality.
_IDS_PLACEHOLDER = [-7_919_003_117]


@dataclass(frozen=True)
class _CompiledRows:
    sql: str
    params: tuple
    slot: int
    compiler: object  # for its converters


class CompiledRows:
    """`CompiledRows(lambda ids: Evidence.objects.filter(AnyOf("claim_id", ids)).values_list(...))`:
    a values_list() read of a list of ids, compiled to SQL once per PostgreSQL connection, as
    CompiledQuery does for model instances (compiling cost 0.5-1 ms per query on a list of
    100 claims, more than running it). Elsewhere it is built and compiled on each call.
    Run it with rows_together()."""

    def __init__(self, build_queryset):
        self.build_queryset = build_queryset

    def _compile(self, connection, alias) -> _CompiledRows:
        compiled = _compiled_on(connection).get(self)
        if compiled is not None:
            return compiled
        statements = []
        for _ in range(2):  # twice: SQL or values that change between builds are refused
            compiler = self.build_queryset(list(_IDS_PLACEHOLDER)).query.get_compiler(
                using=alias, connection=connection
            )
            statements.append((compiler, *compiler.as_sql()))
        (compiler, sql, params), (_, sql_again, params_again) = statements
        if sql != sql_again or list(params) != list(params_again):
            raise ValueError("This queryset's SQL or values change from one build to the next.")
        slots = [i for i, param in enumerate(params) if param == _IDS_PLACEHOLDER]
        if len(slots) != 1:
            raise ValueError("CompiledRows needs the ids in exactly one AnyOf() condition.")
        compiled = _CompiledRows(sql, tuple(params), slots[0], compiler)
        _compiled_on(connection)[self] = compiled
        return compiled

    def _statement(self, ids: list, alias: str):
        connection = connections[alias]
        if connection.vendor != "postgresql":
            compiler = self.build_queryset(list(ids)).query.get_compiler(
                using=alias, connection=connection
            )
            return connection, compiler, *compiler.as_sql()
        compiled = self._compile(connection, alias)
        params = list(compiled.params)
        params[compiled.slot] = list(ids)
        return connection, compiled.compiler, compiled.sql, params


def rows_together(*calls: "tuple[CompiledRows, list]", using: str = "default") -> list[list]:
    """Each (CompiledRows, ids) call's rows, as its values_list() gives them, with the queries
    sent together: one round trip on PostgreSQL (pipeline mode), one after another elsewhere.

    For the relations of a page of rows. On a shared machine each round trip risks a wait for
    the CPU (0.2 ms at best, up to 8 ms measured under load): fewer of them is what takes the
    tail off a list's time."""
    statements = [query._statement(ids, using) for query, ids in calls]
    connection = statements[0][0]
    cursors = [_cursor(connection) for _ in statements]
    try:
        if len(statements) > 1 and connection.vendor == "postgresql":
            with connection.wrap_database_errors, connection.connection.pipeline():
                for cursor, (_, _, sql, params) in zip(cursors, statements, strict=True):
                    cursor.execute(sql, params)
        else:
            for cursor, (_, _, sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        results = [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
    found = []
    for (_, compiler, _, _), rows in zip(statements, results, strict=True):
        # What the compiler's results_iter() does to each row (values_list's conversions).
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        if converters:
            rows = compiler.apply_converters(rows, converters)
        found.append([tuple(row) for row in rows])
    return found


def _instance(compiled: _Compiled, row, alias, connection):
    if compiled.converters:
        row = list(row)
        for index, (converters, expression) in compiled.converters.items():
            value = row[index]
            for converter in converters:
                value = converter(value, expression, connection)
            row[index] = value
    obj = compiled.model.from_db(alias, compiled.init_list, row[compiled.model_fields])
    for populator in compiled.related_populators:
        populator.populate(row, obj)
    for name, index in compiled.annotation_col_map.items():
        setattr(obj, name, row[index])
    return obj


def _cursor(connection):
    """Django's cursor; on PostgreSQL, one that binds values on the server, the kind psycopg
    can prepare (settings.py sets when: on first use, or never behind PgBouncer). Django's
    own cursors bind on the client, which psycopg never prepares."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor
    from psycopg.types.datetime import TimestamptzLoader

    # What connection.cursor() does, with the other cursor class.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = ServerBindingCursor(connection.connection)
        # Django reads timestamps with a loader written in Python, which puts them in its
        # connection's time zone. When the session already is in that zone (Django sets it
        # so), psycopg's own loader (in C) gives the same datetimes: it took a third off the
        # evidence query.
        session_zone = connection.connection.info.parameter_status("TimeZone")
        if settings.USE_TZ and session_zone == connection.timezone_name:
            cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)


def set_prefetched(instance, name: str, objects: list) -> None:
    """Give `instance.<name>.all()` these objects without a query, as prefetch_related would
    (for code such as claimreview.claim_review() that reads a relation it expects
    prefetched)."""
    manager = getattr(type(instance), name).rel.related_model._default_manager
    queryset = manager.all()
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset
