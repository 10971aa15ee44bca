"""Pricing: rule matches turned into line adjustments, guards and a discount summary."""
