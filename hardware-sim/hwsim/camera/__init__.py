"""The camera simulator: frames from image or video files, or generated scenes of a real
face (scikit-image's astronaut photograph), served as an HTTP MJPEG stream the kiosk's
camera driver opens exactly as it would open a network camera."""
