console.log('trainyard');
