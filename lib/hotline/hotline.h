/*
 * hotline.h - the hotline domain (DESIGN §7): its part of the store's schema, for
 * db_schema_register().
 */
#ifndef CITYOPS_HOTLINE_H
#define CITYOPS_HOTLINE_H

#include "db.h"

extern const struct db_schema hotline_schema;

#endif
