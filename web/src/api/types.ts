// Shapes of the API's bodies, as the server sends them (see CONTRACT.md and /api/schema/).

export interface User {
  pk: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
}

export type FileClass = "doc" | "code" | "audio" | "picture";
export type FileType = "single" | "zip" | "url";

export interface DataItem {
  id: number;
  created_at: string;
  /** The upload's class (the API's historic name). */
  file_type: FileClass;
  file_name: string;
  owner: number;
}

/** A zip's folder tree: a file maps to its own name, a folder to its contents. */
export interface Tree {
  [name: string]: string | Tree;
}

export type CsvRow = Record<string, string>;

export interface PreprocessParam {
  meaning: string;
  type: "integer" | "float";
  min: number;
  max: number;
  default: number | null;
  default_note?: string;
  odd?: boolean;
}

export interface OperationSpec {
  name: string;
  operationName: string;
  description: string;
  value1: PreprocessParam | null;
  value2: PreprocessParam | null;
}

export interface OperationStep {
  operationName: string;
  overlap: boolean;
  value1: number | null;
  value2: number | null;
}

export interface PreprocessResult {
  data_id: number;
  images: number;
  skipped?: string[];
}

export type ParamType = "int" | "float" | "choice" | "int_list";

export interface ParamSpec {
  name: string;
  type: ParamType;
  min?: number;
  min_exclusive?: boolean;
  max?: number;
  max_exclusive?: boolean;
  choices?: string[];
  items?: ParamSpec[];
  required: boolean;
  default: unknown;
  meaning: string;
}

export interface LayerOption {
  kind: string;
  meaning: string;
  accepts: string[];
  params: ParamSpec[];
}

export interface Registry {
  net_types: { name: string; input: string; meaning: string }[];
  training: ParamSpec[];
  layers: LayerOption[];
}

export type Shape = number[];

export interface LayerView {
  index: number;
  layer: string;
  output_shape: Shape;
  params: number;
  flops: number;
}

export interface NextOptions {
  net_type: string;
  input_shape: Shape;
  current_shape: Shape;
  layers: LayerView[];
  options: LayerOption[];
}

/** One layer as written in `net_config.middle_layer`. */
export type LayerConfig = { layer: string } & Record<string, unknown>;

export interface ModelConfig {
  iter: number;
  learning_rate: number;
  ratio: number;
  loss_name: string;
  optimizer_name: string;
  net_type: string;
  batch_size?: number;
  seed?: number;
  net_config: { middle_layer: LayerConfig[]; output_layer: Record<string, unknown> };
  [key: string]: unknown;
}

export interface DataView {
  kind: "images" | "csv";
  input_shape: Shape;
  classes: string[];
  samples: number;
  label_column: string | null;
}

export interface SummaryView {
  input_shape: Shape;
  layers: LayerView[];
  total_params: number;
  total_flops: number;
}

export type RunStatus = "queued" | "running" | "paused" | "stopped" | "completed" | "failed" | "interrupted";

export interface RunSummary {
  run_id: number;
  status: RunStatus;
  step: number;
  iter: number;
  final_accuracy: number | null;
  final_loss: number | null;
  training_seconds: number;
  created_at: string;
}

export interface ModelDetail {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  data_id: number | null;
  data: DataView | null;
  labels: number;
  config: ModelConfig | null;
  summary: SummaryView | null;
  summary_error: Record<string, string[]> | null;
  parameter_count: number | null;
  weights_run: number | null;
  runs: RunSummary[];
}

export interface ModelListItem {
  id: number;
  name: string;
  created_at: string;
  status: string;
  best_accuracy: number | null;
  data_id: number | null;
  parameter_count: number | null;
}

export interface MetricPoint {
  step: number;
  accuracy: number;
  loss: number;
  duration: number;
}

export interface RunDetails {
  run_id: number;
  model_id: number;
  data_id: number;
  status: RunStatus;
  error: string | null;
  config: ModelConfig;
  iter: number;
  step: number;
  points: MetricPoint[];
  final_accuracy: number | null;
  final_loss: number | null;
  training_seconds: number;
  classes: string[];
  confusion_matrix: number[][] | null;
  warm_from: number | null;
  placement: Placement | null;
  engine: "builtin" | "pytorch";
  workers: number;
  device: "cpu" | "cuda";
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** Where the executor has a run that has not ended. */
export interface Placement {
  executor: string;
  phase: string;
  detail: string | null;
  pod: string | null;
  node: string | null;
}

export interface RunEnd {
  run_id: number;
  status: RunStatus;
  final_accuracy: number | null;
  error: string | null;
}

export interface CompareField {
  field: string;
  values: unknown[];
  differs: boolean;
}

export interface ComparedModel extends ModelDetail {
  latest_run: {
    run_id: number;
    status: RunStatus;
    final_accuracy: number | null;
    final_loss: number | null;
    training_seconds: number;
    curve: MetricPoint[];
  } | null;
}

export interface CompareBody {
  models: ComparedModel[];
  fields: CompareField[];
  differences: string[];
}

export interface PredictBody {
  run_id: number;
  label: string;
  probabilities: Record<string, number>;
  predictions: { label: string; probabilities: Record<string, number> }[];
}

export interface ClusterNode {
  Addresses: Record<string, string>;
  Conditions: { Type: string; Status: string; Reason: string; Message: string; LastHeartbeatTime: string }[];
  "Non-terminated Pods": Record<string, string>[];
  Capacity: Record<string, string>;
  Allocatable: Record<string, string>;
  "System Info": Record<string, string>;
}
