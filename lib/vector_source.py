"""Where the vector index reads its rows: one table of (id, vector bytes, updated_at).

The index never imports a model. It reads any table with those three columns through raw SQL on
one of Django's connections, so the embeddings table, a test table and the bench's table are
read the same way. Vectors are float32 little-endian bytes; updated_at is timezone-aware.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from django.db import connections
from django.utils.dateparse import parse_datetime

Row = tuple[int, bytes, datetime]


class TableSource:
    """Rows of one table, read in id order (`batches`) or by change time (`changed_since`)."""

    def __init__(
        self,
        table: str,
        *,
        id_column: str = "id",
        vector_column: str = "vector",
        updated_column: str = "updated_at",
        using: str = "default",
    ):
        self.table, self.using = table, using
        self.id_column, self.vector_column = id_column, vector_column
        self.updated_column = updated_column

    @property
    def connection(self):
        return connections[self.using]

    def _names(self) -> tuple[str, str, str, str]:
        quote = self.connection.ops.quote_name
        columns = (self.table, self.id_column, self.vector_column, self.updated_column)
        return tuple(quote(name) for name in columns)

    def _fetch(self, sql: str, params: Iterable) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchall()

    def count(self) -> int:
        table = self._names()[0]
        return self._fetch(f"SELECT COUNT(*) FROM {table}", [])[0][0]  # noqa: S608 (quoted names)

    def batches(self, size: int = 10_000) -> Iterator[list[Row]]:
        """Every row in id order, `size` at a time (keyset pages: no long-held cursor)."""
        table, pk, vector, updated = self._names()
        sql = (
            f"SELECT {pk}, {vector}, {updated} FROM {table} "  # noqa: S608 (quoted names)
            f"WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
        )
        after = -(2**63)
        while rows := self._fetch(sql, [after, size]):
            yield [(pk_, bytes(blob), self._aware(when)) for pk_, blob, when in rows]
            after = rows[-1][0]

    def changed_since(self, when: datetime | None) -> list[tuple[int, datetime]]:
        """(id, updated_at) of the rows changed after `when` (all rows when it is None)."""
        table, pk, _, updated = self._names()
        if when is None:
            rows = self._fetch(f"SELECT {pk}, {updated} FROM {table}", [])  # noqa: S608
        else:
            sql = f"SELECT {pk}, {updated} FROM {table} WHERE {updated} > %s"  # noqa: S608
            rows = self._fetch(sql, [self.connection.ops.adapt_datetimefield_value(when)])
        return [(pk_, self._aware(stamp)) for pk_, stamp in rows]

    def vectors(self, ids: Iterable[int]) -> dict[int, bytes]:
        """The current vector of each id that still exists; deleted ids are simply absent."""
        ids = [int(pk) for pk in ids]
        if not ids:
            return {}
        table, pk, vector, _ = self._names()
        marks = ", ".join(["%s"] * len(ids))
        sql = f"SELECT {pk}, {vector} FROM {table} WHERE {pk} IN ({marks})"  # noqa: S608
        return {pk_: bytes(blob) for pk_, blob in self._fetch(sql, ids)}

    @staticmethod
    def _aware(value) -> datetime:
        # SQLite hands raw queries text; PostgreSQL hands aware datetimes.
        if isinstance(value, str):
            value = parse_datetime(value)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
