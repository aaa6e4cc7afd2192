"""Set-based loading of large CSV files into a table: stream, validate, stage, merge.

A file is read as a stream (constant memory) and each row validated in Python by its `FileSpec`.
Valid rows go to a temporary staging table (PostgreSQL COPY, batched inserts elsewhere); one
statement then merges the staging table into the target (insert, or update what differs), so
the database does the heavy part in bulk. Bad rows are reported with file and line and skipped;
a malformed file (header, encoding, truncated line) raises `MalformedFile` and the caller's
transaction is rolled back: nothing changes.

- `files`: a file's `FileSpec`, its reading and its `FileReport`;
- `staging`: the staging table;
- `merge`: `load()`, the staging table into the target;
- `command`: the base of the import commands (one summary line, refusals on stderr);
- `rows`: rows made in Python (no file), written straight into a model's table.
"""
