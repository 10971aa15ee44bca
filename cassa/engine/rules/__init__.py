"""Rule packs: conditions, compilation to durable-rules, promotions and pricing rules."""
