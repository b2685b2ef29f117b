/*
 * fleet.h - the trucks: vehicles.csv, and every plate met in the fixes.
 *
 *   struct gps_fleet f;  fleet_init(&f);
 *   st = fleet_load(&f, "vehicles.csv", &routes);   0, 66, 74 or 78
 *           (message printed with the file and line: a bad plate, an
 *           unknown kind, bad hours, a route not in the routes file)
 *   i = fleet_find(&f, plate);          index, or -1
 *   i = fleet_add(&f, plate);           a plate vehicles.csv does not know
 *   fleet_free(&f);
 *
 * Columns (English or Chinese): plate 车牌号, kind 车辆类型 (muck 渣土车 or
 * concrete 商砼车), company 所属公司, limit_kmh 限速, hours 通行时段 (see
 * hours.h; empty: any hour), routes 核准路线 (route ids separated by
 * ; | , 、 or spaces; empty: no route to keep to).
 */
#ifndef CITYOPS_GPS_FLEET_H
#define CITYOPS_GPS_FLEET_H

#include "strmap.h"
#include "gps/hours.h"
#include "gps/plate.h"
#include "gps/shapes.h"

enum { VEH_UNKNOWN, VEH_MUCK, VEH_CONCRETE };

struct gps_vehicle {
	char plate[PLATE_MAX];
	char *company;
	int kind;
	int known;            /* listed in vehicles.csv */
	double limit_kmh;     /* NaN: none */
	int has_hours;
	struct gps_hours hours;
	int *routes;          /* indexes into the routes */
	size_t nroutes;
	char *route_text;     /* "R1,R2" */
};

struct gps_fleet {
	struct gps_vehicle **v;
	size_t n, cap;
	struct strmap by_plate;  /* plate -> index in v */
};

void fleet_init(struct gps_fleet *f);
int fleet_load(struct gps_fleet *f, const char *path, const struct gps_shapes *routes);
int fleet_find(const struct gps_fleet *f, const char *plate);
int fleet_add(struct gps_fleet *f, const char *plate);
const char *fleet_kind_name(int kind);
void fleet_free(struct gps_fleet *f);

#endif
