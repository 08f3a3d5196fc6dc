run --format text --set capture_card.video_out.allocator.fail_initialize=true examples/device-memory.yaml
