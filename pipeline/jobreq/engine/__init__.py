"""Engines that run the pipeline over many postings."""
