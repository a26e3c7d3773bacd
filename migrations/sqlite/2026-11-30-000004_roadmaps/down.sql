DROP TABLE indicator_progress;
DROP TABLE indicators;
DROP TABLE roadmap_sections;
DROP TABLE roadmaps;
