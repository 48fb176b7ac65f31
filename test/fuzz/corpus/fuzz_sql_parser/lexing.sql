SELECT 'it''s', E'a\nb\x41\u00e9', $$dollar's$$, $tag$a$$b$tag$, 'con'
'cat', 0x1F, 0o17, 0b101, 1_000_000, 1.5e-3, .5, 1., $1, "Quoted "" Id", U&'x'