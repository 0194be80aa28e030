/**
 * The field lane's processors, memory pools, storage and wireless sensors (fieldState in seed.ts adds
 * them), each row there for a reason:
 * - ids that are also `sensors` ids would be found by the 22.11/25.4 by-id route (the sensor-row bug):
 *   sensors 1 to 6 exist, and the health ids here start at 101 so that a by-id answer for 1 on an old
 *   LibreNMS is a sensors row, never one of these;
 * - a deleted memory pool (LibreNMS 26.7 still lists and serves it), a pool whose total is 0 (unknown),
 *   a processor without a warning threshold, a storage above 2^32 bytes, items of the disabled device;
 * - wireless: a deleted sensor and one of another device (both answered by `/wireless/<type>/:id`
 *   whatever device is asked), a class with a conversion each (bps, %, MHz), a counter (errors).
 */
import { mempoolRow, processorRow, storageRow, wirelessRow } from '../../librenms-double/health.js';
import type { SimState } from '../../librenms-double/state.js';

/** Adds the rows to a field state (devices 1 to 7 of seed.ts; 5 is disabled). */
export function addHealthRows(s: SimState, now: number): void {
  s.processors.push(
    processorRow({
      processor_id: 101,
      device_id: 1,
      processor_type: 'hr',
      processor_index: '1',
      processor_descr: 'CPU 0',
      processor_usage: 12,
      hrDeviceIndex: 196608,
    }),
    processorRow({
      processor_id: 102,
      device_id: 1,
      processor_type: 'hr',
      processor_index: '2',
      processor_descr: 'CPU 1',
      processor_usage: 87,
      hrDeviceIndex: 196609,
    }),
    processorRow({
      processor_id: 103,
      device_id: 2,
      processor_type: 'cpm',
      processor_index: '1',
      processor_descr: 'Processor 1',
      processor_usage: 5,
      entPhysicalIndex: 1001,
      processor_oid: '.1.3.6.1.4.1.9.9.109.1.1.1.1.8.1',
      processor_perc_warn: null,
    }),
    processorRow({
      processor_id: 104,
      device_id: 4,
      processor_type: 'unifi',
      processor_index: '0',
      processor_descr: 'Processor',
      processor_usage: 23,
      processor_perc_warn: 80,
    }),
    processorRow({ processor_id: 105, device_id: 5, processor_type: 'hr', processor_index: '1', processor_descr: 'CPU', processor_usage: 50 }),
  );
  s.mempools.push(
    mempoolRow({
      mempool_id: 201,
      device_id: 1,
      mempool_type: 'hrstorage',
      mempool_class: 'system',
      mempool_index: '65536',
      mempool_descr: 'main memory',
      mempool_total: 1073741824,
      mempool_used: 365072384,
      mempool_used_oid: '.1.3.6.1.2.1.25.2.3.1.6.65536',
      mempool_total_oid: '.1.3.6.1.2.1.25.2.3.1.5.65536',
    }),
    mempoolRow({
      mempool_id: 202,
      device_id: 2,
      mempool_type: 'cemp',
      mempool_class: 'system',
      mempool_index: '1',
      mempool_descr: 'Processor',
      mempool_total: 430435456,
      mempool_used: 263500000,
      entPhysicalIndex: 1,
      mempool_largestfree: 150000000,
      mempool_lowestfree: 140000000,
    }),
    mempoolRow({
      mempool_id: 203,
      device_id: 2,
      mempool_type: 'cemp',
      mempool_class: 'system',
      mempool_index: '2',
      mempool_descr: 'I/O',
      mempool_total: 53687090,
      mempool_used: 12884901,
    }),
    mempoolRow({
      mempool_id: 204,
      device_id: 4,
      mempool_type: 'hrstorage',
      mempool_class: 'swap',
      mempool_index: '10',
      mempool_descr: 'Swap space',
      mempool_total: 17179869184,
      mempool_used: 7044820992,
      mempool_perc_warn: 50,
    }),
    mempoolRow({
      mempool_id: 205,
      device_id: 2,
      mempool_type: 'cemp',
      mempool_class: 'system',
      mempool_index: '3',
      mempool_descr: 'Driver text (removed)',
      mempool_total: 1048576,
      mempool_used: 1000000,
      mempool_deleted: 1,
    }),
    {
      ...mempoolRow({
        mempool_id: 206,
        device_id: 6,
        mempool_type: 'hrstorage',
        mempool_class: 'virtual',
        mempool_index: '3',
        mempool_descr: 'Virtual memory',
        mempool_total: 1,
        mempool_used: 0,
      }),
      mempool_total: 0,
      mempool_perc: 0,
      mempool_free: 0,
    },
  );
  s.storage.push(
    storageRow({
      storage_id: 401,
      device_id: 1,
      type: 'hrstorage',
      storage_type: 'hrStorageFixedDisk',
      storage_index: '131072',
      storage_descr: 'system disk',
      storage_size: 134217728,
      storage_used: 20971520,
      storage_size_oid: '.1.3.6.1.2.1.25.2.3.1.5.131072',
    }),
    storageRow({
      storage_id: 402,
      device_id: 2,
      type: 'cisco-flash',
      storage_type: 'flash',
      storage_index: '1.1',
      storage_descr: 'flash:',
      storage_size: 122185728,
      storage_used: 88080384,
      storage_units: 1,
    }),
    storageRow({
      storage_id: 403,
      device_id: 4,
      type: 'hrstorage',
      storage_type: 'hrStorageFixedDisk',
      storage_index: '31',
      storage_descr: '/.mount/var',
      storage_size: 21474836480,
      storage_used: 19327352832,
      storage_perc_warn: 80,
    }),
    storageRow({
      storage_id: 404,
      device_id: 5,
      type: 'hrstorage',
      storage_type: 'hrStorageFixedDisk',
      storage_index: '1',
      storage_descr: '/',
      storage_size: 1e9,
      storage_used: 5e8,
    }),
  );
  const sensor = (row: Parameters<typeof wirelessRow>[0]) =>
    s.wirelessSensors.push(wirelessRow({ ...row, sensor_oids: [`.1.3.6.1.4.1.99999.${row.sensor_id}`] }));
  sensor({
    sensor_id: 301,
    device_id: 1,
    sensor_class: 'clients',
    sensor_index: '1',
    sensor_type: 'routeros',
    sensor_descr: 'wlan1 clients',
    sensor_current: 17,
    sensor_prev: 15,
    lastupdate: now - 60,
  });
  sensor({
    sensor_id: 302,
    device_id: 1,
    sensor_class: 'rate',
    sensor_index: 'tx-1',
    sensor_type: 'routeros',
    sensor_descr: 'wlan1 Tx rate',
    sensor_current: 866700000,
    lastupdate: now - 60,
  });
  sensor({
    sensor_id: 303,
    device_id: 1,
    sensor_class: 'noise-floor',
    sensor_index: '1',
    sensor_type: 'routeros',
    sensor_descr: 'wlan1 noise floor',
    sensor_current: -105,
    lastupdate: now - 60,
  });
  sensor({
    sensor_id: 304,
    device_id: 1,
    sensor_class: 'frequency',
    sensor_index: '1',
    sensor_type: 'routeros',
    sensor_descr: 'wlan1 frequency',
    sensor_current: 5180,
    lastupdate: now - 60,
  });
  sensor({
    sensor_id: 305,
    device_id: 1,
    sensor_class: 'clients',
    sensor_index: '2',
    sensor_type: 'routeros',
    sensor_descr: 'wlan2 clients (deleted)',
    sensor_current: 0,
    sensor_deleted: 1,
    lastupdate: now - 86400,
  });
  sensor({
    sensor_id: 306,
    device_id: 2,
    sensor_class: 'ccq',
    sensor_index: '1',
    sensor_type: 'ios',
    sensor_descr: 'Dot11Radio0 CCQ',
    sensor_current: 93.5,
    sensor_limit_low: 50,
    sensor_limit_low_warn: 70,
    lastupdate: now - 60,
  });
  sensor({
    sensor_id: 307,
    device_id: 4,
    sensor_class: 'clients',
    sensor_index: '0',
    sensor_type: 'unifi',
    sensor_descr: 'Clients: Radio0',
    sensor_current: 9,
    lastupdate: now - 60,
  });
  sensor({
    sensor_id: 308,
    device_id: 4,
    sensor_class: 'errors',
    sensor_index: '0',
    sensor_type: 'unifi',
    sensor_descr: 'Radio0 errors',
    sensor_current: 123456,
    rrd_type: 'COUNTER',
    lastupdate: now - 60,
  });
  sensor({
    sensor_id: 309,
    device_id: 5,
    sensor_class: 'clients',
    sensor_index: '0',
    sensor_type: 'pfsense',
    sensor_descr: 'disabled device',
    sensor_current: 1,
    lastupdate: now - 60,
  });
}
