"""Where the Splink SQL runs: one class per backend.

The model (comparisons, blocking, training) is the same for every backend;
a backend only opens the database, loads the records and reads results back.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import warnings
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker

from tsunagari.linkage.engine import model

# Splink reports training details through logging; a command shows its own
# progress, so only Splink's errors get through.
logging.getLogger("splink").setLevel(logging.ERROR)


_MEMORY = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def _gigabytes(size: str) -> float:
    match = _MEMORY.fullmatch(size.strip())
    if not match:
        raise ValueError(f"memory limit {size!r} is not a size like 2GB or 1536MB")
    number = float(re.sub(r"[^\d.]", "", size))
    unit = match.group(2).upper()[0]
    return number * {"K": 1 / 1024**2, "M": 1 / 1024, "G": 1.0, "T": 1024.0}[unit]


def _arrow(values: pd.Series) -> pa.Array:
    array = pa.array(values.array, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array


def _coded(records: pd.DataFrame) -> pa.Table:
    """The records as an Arrow table, equality-only text columns as integer codes.

    Splink's blocking joins and comparison levels then compare integers
    instead of text (about half of the SQL time at a million records); the
    pairs and their scores are the same, since equal values get equal codes
    and nulls stay null (see ``model.EQUALITY_ONLY_COLUMNS``).
    """
    columns = {name: _arrow(records[name]) for name in records.columns}
    for group in model.EQUALITY_ONLY_COLUMNS:
        names = [
            c
            for c in group
            if c in columns
            and (pa.types.is_string(columns[c].type) or pa.types.is_large_string(columns[c].type))
        ]
        if not names:
            continue
        arrays = [columns[c].cast(pa.large_string()) for c in names]
        joined = pa.concat_arrays(arrays) if len(arrays) > 1 else arrays[0]
        codes = pc.dictionary_encode(joined).indices.cast(pa.int32())
        start = 0
        for name, array in zip(names, arrays, strict=True):
            columns[name] = codes.slice(start, len(array))
            start += len(array)
    return pa.table(columns)


class Backend(Protocol):
    """What the pipeline needs from a backend."""

    name: str

    def linker(self, records: pd.DataFrame) -> Any:
        """Load the records and return a Splink linker with the Tsunagari model."""

    def query(self, linker: Any, sql: str) -> pd.DataFrame:
        """Run a SELECT against the backend and return it as pandas."""

    def close(self) -> None:
        """Release the database or session."""


class DuckDBBackend:
    """Splink on an embedded DuckDB database (the default).

    Args:
        threads: DuckDB worker threads.
        memory_limit: DuckDB memory cap (DuckDB spills to ``temp_dir`` beyond it).
        temp_dir: where DuckDB may spill; a fresh temporary directory if None.
    """

    name = "duckdb"

    def __init__(
        self, threads: int = 2, memory_limit: str = "2GB", temp_dir: str | None = None
    ) -> None:
        import duckdb
        from splink import DuckDBAPI

        if not _MEMORY.fullmatch(memory_limit):
            raise ValueError(f"memory limit {memory_limit!r} is not a size like 2GB or 1536MB")
        self._tmp = tempfile.TemporaryDirectory(prefix="tsunagari-duckdb-")
        self.connection = duckdb.connect(":memory:")
        self.connection.execute(f"SET threads = {int(threads)}")
        self.connection.execute(f"SET memory_limit = '{memory_limit}'")
        self.connection.execute(f"SET temp_directory = '{temp_dir or self._tmp.name}'")
        self.connection.execute("SET preserve_insertion_order = false")
        self.db_api = DuckDBAPI(connection=self.connection)

    def linker(self, records: pd.DataFrame) -> Any:
        self.connection.register("tsunagari_records_df", _coded(records))
        self.connection.execute(
            "CREATE OR REPLACE TABLE tsunagari_records AS SELECT * FROM tsunagari_records_df"
        )
        self.connection.unregister("tsunagari_records_df")
        table = self.db_api.register("tsunagari_records", dataset_display_name="records")
        return Linker(table, model.settings(), log_level=None)

    def query(self, linker: Any, sql: str) -> pd.DataFrame:
        frame: pd.DataFrame = self.connection.execute(sql).df()
        return frame

    def close(self) -> None:
        self.connection.close()
        self._tmp.cleanup()


class SparkBackend:
    """Splink on pyspark in local mode, for wards that outgrow one DuckDB.

    Args:
        threads: local Spark cores (``local[threads]``).
        driver_memory: Spark driver memory, e.g. "3g".
    """

    name = "spark"

    def __init__(self, threads: int = 2, driver_memory: str = "4g") -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise RuntimeError(
                "--engine spark needs pyspark: pip install 'tsunagari[spark]'"
            ) from exc
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        self._tmp = tempfile.TemporaryDirectory(prefix="tsunagari-spark-")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        self.spark = (
            SparkSession.builder.master(f"local[{int(threads)}]")
            .appName("tsunagari-link")
            .config("spark.driver.memory", driver_memory)
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", str(max(2, 2 * int(threads))))
            .config("spark.default.parallelism", str(max(2, 2 * int(threads))))
            .config("spark.local.dir", self._tmp.name)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            # Splink's term-frequency tables are joined often; broadcasting
            # them from a small driver heap is what runs out of memory.
            .config("spark.sql.autoBroadcastJoinThreshold", "-1")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        self.spark.sparkContext.setCheckpointDir(os.path.join(self._tmp.name, "checkpoints"))
        self.db_api = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=self.spark, break_lineage_method="parquet"
        )

    def linker(self, records: pd.DataFrame) -> Any:
        import pyarrow as pa

        # Through Arrow, as plain strings: Spark infers no types from pandas'
        # nullable string columns.
        table = pa.Table.from_pandas(records, preserve_index=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            spark_df = self.spark.createDataFrame(table.to_pandas(types_mapper=None))
        table = self.db_api.register(spark_df, dataset_display_name="records")
        return Linker(table, model.settings(), log_level=None)

    def query(self, linker: Any, sql: str) -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            frame: pd.DataFrame = self.spark.sql(sql).toPandas()
        return frame

    def close(self) -> None:
        self.spark.stop()
        self._tmp.cleanup()


def make_backend(engine: str, threads: int = 2, memory_limit: str = "2GB") -> Backend:
    """Open the backend named on the command line.

    Args:
        engine: "duckdb" or "spark".
        threads: worker threads / local cores.
        memory_limit: DuckDB memory cap, or Spark driver memory ("2GB" -> "2g").

    Returns:
        An open backend; call ``close()`` when done.

    Example:
        >>> backend = make_backend("duckdb", threads=2)
        >>> backend.name
        'duckdb'
        >>> backend.close()
    """
    if engine == "duckdb":
        return DuckDBBackend(threads=threads, memory_limit=memory_limit)
    if engine == "spark":
        # Local mode runs everything in the driver JVM: give it the limit,
        # but no less than Spark needs for Splink's sampling steps.
        gigabytes = _gigabytes(memory_limit)
        return SparkBackend(threads=threads, driver_memory=f"{max(4, round(gigabytes))}g")
    raise ValueError(f"unknown engine {engine!r}: use duckdb or spark")
