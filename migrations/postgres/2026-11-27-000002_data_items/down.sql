DROP TABLE data_items;
