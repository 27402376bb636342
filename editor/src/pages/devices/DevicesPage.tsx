import type { PageProps } from '../registry.js';
import { DeviceDetail } from './DeviceDetail.js';
import { DeviceList } from './DeviceList.js';

/** `#/devices` all devices, `#/devices/<pk>` one product's, `#/devices/<pk>/<dk>` one device. */
export function DevicesPage({ params }: PageProps) {
  const [productKey, deviceKey] = params;
  if (productKey && deviceKey) return <DeviceDetail key={`${productKey}/${deviceKey}`} productKey={productKey} deviceKey={deviceKey} />;
  return <DeviceList productKey={productKey ?? ''} />;
}
