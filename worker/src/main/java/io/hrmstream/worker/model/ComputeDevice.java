package io.hrmstream.worker.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Where the model runs and in which dtype: CPU in float32 (the default), CUDA in float16. BF16, the official
 * forward dtype, is not usable: DJL's native layer aborts the JVM on it. RMS norms, RoPE and the attention softmax
 * run in float32 whatever the dtype.
 * <p>
 * Threads: libtorch's intra-op pool is process-wide; {@link #setIntraOpThreads} sets it explicitly. Also start the
 * JVM with {@code OMP_WAIT_POLICY=PASSIVE}: OpenMP's default spin-waiting made small ops 10-100x slower on a busy
 * 2-core machine (docs: /work/shared/notes/djl-probe.md, section 3).
 *
 * @param device   cpu() or gpu(i)
 * @param dataType FLOAT32 or FLOAT16
 */
public record ComputeDevice(Device device, DataType dataType) {

    public ComputeDevice {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT16) {
            throw new IllegalArgumentException("compute dtype must be float32 or float16, not " + dataType);
        }
    }

    /** CPU, float32. */
    public static ComputeDevice cpu() {
        return new ComputeDevice(Device.cpu(), DataType.FLOAT32);
    }

    /** CUDA device {@code index}, float16. */
    public static ComputeDevice gpu(int index) {
        return new ComputeDevice(Device.gpu(index), DataType.FLOAT16);
    }

    /** {@code cpu}, {@code gpu} or {@code gpu:N}; with {@code :f16}/{@code :f32} to override the dtype. */
    public static ComputeDevice parse(String spec) {
        String[] parts = spec.trim().toLowerCase(java.util.Locale.ROOT).split(":");
        ComputeDevice base;
        int next = 1;
        if (parts[0].equals("cpu")) {
            base = cpu();
        } else if (parts[0].equals("gpu") || parts[0].equals("cuda")) {
            int index = 0;
            if (parts.length > 1 && parts[1].chars().allMatch(Character::isDigit)) {
                index = Integer.parseInt(parts[1]);
                next = 2;
            }
            base = gpu(index);
        } else {
            throw new IllegalArgumentException("device '" + spec + "': expected cpu, gpu or gpu:N (optionally :f16/:f32)");
        }
        if (parts.length > next) {
            DataType type = switch (parts[next]) {
                case "f16", "float16", "fp16" -> DataType.FLOAT16;
                case "f32", "float32", "fp32" -> DataType.FLOAT32;
                default -> throw new IllegalArgumentException("device '" + spec + "': unknown dtype " + parts[next]);
            };
            base = new ComputeDevice(base.device, type);
        }
        return base;
    }

    /**
     * This device, when the loaded libtorch can use it; else one sentence saying why not. A GPU needs a CUDA build
     * of libtorch 2.7.1 (the jar bundles the CPU one) and a visible device: without them libtorch would fail later
     * with a dispatcher dump instead.
     */
    public ComputeDevice requireAvailable() {
        if (!device.isGpu()) return this;
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (device.getDeviceId() >= gpus) {
            throw new IllegalStateException("device " + device + " asked for, but " + (gpus == 0
                    ? "no CUDA device is usable: this worker runs the CPU libtorch bundled in its jar unless "
                    + "PYTORCH_LIBRARY_PATH, PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR=cu128 point at a CUDA libtorch "
                    + "(deploy/Dockerfile.cuda), and the container must see a GPU"
                    : "only " + gpus + " CUDA device(s) are visible"));
        }
        return this;
    }

    /** Sets libtorch's intra-op thread count for the whole process. */
    public static void setIntraOpThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("intra-op threads must be positive, not " + threads);
        }
        Engine.getEngine("PyTorch");   // loads libtorch before its thread pool is configured
        JniUtils.setNumThreads(threads);
    }

    @Override
    public String toString() {
        return device + (dataType == DataType.FLOAT16 ? ":f16" : ":f32");
    }
}
