#!/bin/sh
# BookStack's cache directory owned by abc, the user php-fpm runs as. The image's init does
# the same at each start (linuxserver/docker-bookstack
# root/etc/s6-overlay/s6-rc.d/init-bookstack-config/run: lsiown -R abc:abc /config); this
# covers files created as root by `docker exec ... artisan` afterwards.
set -eu
mkdir -p /config/www/framework/cache
chown -R abc:abc /config/www/framework/cache
