x := `raw that never ends
at all
