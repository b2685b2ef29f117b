/*
 * gps.h - the gps domain (DESIGN §7): its part of the store's schema, for
 * db_schema_register().
 */
#ifndef CITYOPS_GPS_H
#define CITYOPS_GPS_H

#include "db.h"

extern const struct db_schema gps_schema;

#endif
