# Turns schema/wsmock.sql into a C++ source defining wsmock::store::kSchemaSql.
file(READ ${IN} sql)
file(WRITE ${OUT} "// Generated from schema/wsmock.sql; do not edit.\n"
  "namespace wsmock::store {\nextern const char kSchemaSql[];\n"
  "const char kSchemaSql[] = R\"wsmocksql(${sql})wsmocksql\";\n}\n")
