"""Reading and writing other formats: imports and exports."""
