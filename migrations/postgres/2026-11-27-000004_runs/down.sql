DROP TABLE run_points;
DROP TABLE runs;
