/**
 * The attribution Epoch AI's data sets ask for (Creative Commons Attribution 4.0), shown and exported wherever the
 * project shows or ships their data.
 */
export const EPOCH_HARDWARE_CREDIT = 'Epoch AI, "Data on Machine Learning Hardware", epoch.ai/data/machine-learning-hardware (CC BY 4.0)';
export const EPOCH_CLUSTERS_CREDIT = 'Epoch AI, "Data on GPU Clusters", epoch.ai/data/gpu-clusters (CC BY 4.0)';
export const EPOCH_CLUSTERS_URL = 'https://epoch.ai/data/gpu-clusters';
