library flet_dongphi_device;

export "src/extension.dart" show Extension;
