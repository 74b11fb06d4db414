"""NLP layer: spaCy components, gazetteers, classifiers, severity and party resolution for IP Radar's tagging."""
