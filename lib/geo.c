#include "common.h"

#include <math.h>

#include "geo.h"

#define DEG (3.14159265358979323846 / 180.0)

double geo_haversine_m(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = (lat2 - lat1) * DEG, dlon = (lon2 - lon1) * DEG;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * DEG) * cos(lat2 * DEG) * sin(dlon / 2) * sin(dlon / 2);

	if (a > 1)
		a = 1;
	return 2 * GEO_EARTH_R_M * asin(sqrt(a));
}
