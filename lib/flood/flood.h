/*
 * flood.h - the flood domain (DESIGN §7): its part of the store's schema, for
 * db_schema_register().
 */
#ifndef CITYOPS_FLOOD_H
#define CITYOPS_FLOOD_H

#include "db.h"

extern const struct db_schema flood_schema;

#endif
