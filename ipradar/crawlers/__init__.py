"""Collection layer: Scrapy spiders (one module per source), pipelines, raw archive, offline mirrors."""
