SELECT /* outer /* nested */ still */ a+-1, a*-1, a@-b, a!=b, a->>'k' -- comment
FROM t; ;; SELECT 'unterminated