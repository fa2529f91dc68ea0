/* office: the service's shared state (see office.h). */
#include "office.h"
#include "vntime.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct office {
	config cfg;
	catalog cat;
	db *store;
	office_print *printer;
	pthread_mutex_t store_lock;
	pthread_mutex_t change_lock;
	pthread_cond_t change;
	unsigned long generation;
	int stopping;
};

office *office_new(const config *cfg, const catalog *cat, db *store)
{
	office *o = calloc(1, sizeof *o);
	pthread_condattr_t attr;
	if (!o) return NULL;
	o->cfg = *cfg;
	o->cat = *cat;
	o->store = store;
	pthread_mutex_init(&o->store_lock, NULL);
	pthread_mutex_init(&o->change_lock, NULL);
	/* Waits are timed on the monotonic clock: a clock set back after an
	 * offline boot must not freeze the displays. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&o->change, &attr);
	pthread_condattr_destroy(&attr);
	return o;
}

void office_free(office *o)
{
	if (!o) return;
	pthread_cond_destroy(&o->change);
	pthread_mutex_destroy(&o->change_lock);
	pthread_mutex_destroy(&o->store_lock);
	free(o);
}

const config *office_config(const office *o) { return &o->cfg; }
const catalog *office_catalog(const office *o) { return &o->cat; }
void office_set_printer(office *o, office_print *p) { o->printer = p; }
office_print *office_printer(const office *o) { return o->printer; }

db *office_db_hold(office *o)
{
	pthread_mutex_lock(&o->store_lock);
	return o->store;
}

void office_db_release(office *o)
{
	pthread_mutex_unlock(&o->store_lock);
}

void office_today(char day[11])
{
	cal_date_format(vntime_date((long long)time(NULL)), day);
}

void office_changed(office *o)
{
	pthread_mutex_lock(&o->change_lock);
	o->generation++;
	pthread_cond_broadcast(&o->change);
	pthread_mutex_unlock(&o->change_lock);
}

unsigned long office_wait_change(office *o, unsigned long seen, int ms)
{
	struct timespec until;
	unsigned long now;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
	pthread_mutex_lock(&o->change_lock);
	while (o->generation == seen && !o->stopping)
		if (pthread_cond_timedwait(&o->change, &o->change_lock, &until) != 0) break;
	now = o->generation;
	pthread_mutex_unlock(&o->change_lock);
	return now;
}

void office_stop(office *o)
{
	pthread_mutex_lock(&o->change_lock);
	o->stopping = 1;
	pthread_cond_broadcast(&o->change);
	pthread_mutex_unlock(&o->change_lock);
}

int office_stopped(office *o)
{
	int s;
	pthread_mutex_lock(&o->change_lock);
	s = o->stopping;
	pthread_mutex_unlock(&o->change_lock);
	return s;
}
