import type { KafkaConfig, PanelConfig } from '@logstream/config';

export interface PanelOptions extends PanelConfig {
  /** The configured admin tokens: an admin's session ends when its token is removed. */
  adminTokens: readonly string[];
  maxActiveCredentials: number;
  /** As given to customers (the SSL listener). */
  customerBootstrap: readonly string[];
  /** The platform's own connection, for the live tail's consumer. */
  kafka: KafkaConfig;
}

export const PANEL_OPTIONS = Symbol('PANEL_OPTIONS');
