// The thing model of the benchmark's devices: an inverter with six typed, ranged points.
export const benchModel = {
  id: 'BenchInverter',
  name: 'Bench inverter',
  measurePoints: [
    { identifier: 'power', name: 'Power', pointType: 'AI', spec: { type: 'double', unit: 'kW', min: 0, max: 500 } },
    { identifier: 'voltage', name: 'Voltage', pointType: 'AI', spec: { type: 'float', unit: 'V', min: 0, max: 1000 } },
    { identifier: 'temp', name: 'Temperature', pointType: 'AI', spec: { type: 'float', unit: '°C', min: -40, max: 120 } },
    { identifier: 'energy', name: 'Energy', pointType: 'PI', spec: { type: 'double', unit: 'kWh' } },
    { identifier: 'state', name: 'State', pointType: 'DI', spec: { type: 'enum', values: [{ value: 0, label: 'off' }, { value: 1, label: 'on' }, { value: 2, label: 'fault' }] } },
    { identifier: 'running', name: 'Running', pointType: 'DI', spec: { type: 'bool' } },
  ],
};
