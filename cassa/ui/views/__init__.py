"""The till's Flet views: components and functions that render the view-models."""
