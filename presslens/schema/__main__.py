from presslens.schema import write_schema

print(f"wrote {write_schema()}")
