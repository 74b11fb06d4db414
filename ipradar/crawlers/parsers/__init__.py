"""Pure parsers, one module per source: payload in, normalised document dicts out (no Scrapy)."""
