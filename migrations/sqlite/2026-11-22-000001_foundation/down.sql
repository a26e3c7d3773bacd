DROP TABLE calendar_days;
DROP TABLE appeal_categories;
DROP TABLE territories;
