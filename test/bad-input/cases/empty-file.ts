// expect: TSG2001 -
// An empty file (but for this header).
