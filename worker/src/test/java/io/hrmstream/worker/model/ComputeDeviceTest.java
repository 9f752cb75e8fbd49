package io.hrmstream.worker.model;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Devices are parsed from flags, and a GPU that libtorch cannot use is refused at start in one sentence. */
class ComputeDeviceTest {

    @Test
    void devicesParseWithTheirDtype() {
        assertEquals("cpu():f32", ComputeDevice.parse("cpu").toString());
        assertEquals("gpu(1):f16", ComputeDevice.parse("gpu:1").toString());
        assertEquals("cpu():f16", ComputeDevice.parse("cpu:f16").toString());
        assertThrows(IllegalArgumentException.class, () -> ComputeDevice.parse("tpu"));
    }

    @Test
    void aGpuWithoutCudaLibtorchIsRefusedWithOneSentence() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a usable GPU");
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ComputeDevice.parse("gpu").requireAvailable());
        assertTrue(e.getMessage().contains("no CUDA device is usable") && e.getMessage().contains("PYTORCH_LIBRARY_PATH"),
                e.getMessage());
        assertEquals(ComputeDevice.cpu(), ComputeDevice.cpu().requireAvailable());
    }
}
