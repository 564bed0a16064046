"""kb-fleet: many hosts' probe output (and logs) in, the hosts grouped by verdict out.

records  reads host files (a directory, one file per host) or JSON Lines, one host at a time;
         a file that cannot be read becomes a record with a `problem`, never an exception
verdict  diagnoses one host with the engine and maps its result to a verdict group (the adapter)
summary  folds verdicts into groups as they stream by, keeping only names and counts
render   lays the summary out as text, Markdown or JSON (words in `words`)
"""
